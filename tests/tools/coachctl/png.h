#pragma once

// A minimal PNG decoder for screenshot checks: 8-bit RGB or RGBA,
// non-interlaced (what Chromium writes). zlib inflates the image data.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cs::coachctl::testing {

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
};

absl::StatusOr<Image> DecodePng(const std::string& bytes);

// Pixels that are not (near) white, and distinct colours after quantising
// each channel to 16 levels.
struct ImageStats {
  int64_t non_white = 0;
  int distinct_colours = 0;
};
ImageStats Analyse(const Image& image);

}  // namespace cs::coachctl::testing
