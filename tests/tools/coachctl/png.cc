#include "tests/tools/coachctl/png.h"

#include <zlib.h>

#include <cstdlib>
#include <set>

#include "absl/strings/str_cat.h"

namespace cs::coachctl::testing {
namespace {

uint32_t Be32(const std::string& s, size_t at) {
  return (uint32_t{static_cast<uint8_t>(s[at])} << 24) | (uint32_t{static_cast<uint8_t>(s[at + 1])} << 16) |
         (uint32_t{static_cast<uint8_t>(s[at + 2])} << 8) | uint32_t{static_cast<uint8_t>(s[at + 3])};
}

uint8_t Paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return static_cast<uint8_t>(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

// Reverses the per-row filters in place; `bpp` bytes per pixel.
absl::Status Unfilter(std::vector<uint8_t>& raw, int width, int height, int bpp, std::vector<uint8_t>* out) {
  const size_t stride = static_cast<size_t>(width) * bpp;
  out->assign(stride * height, 0);
  for (int y = 0; y < height; ++y) {
    const uint8_t filter = raw[y * (stride + 1)];
    const uint8_t* in = &raw[y * (stride + 1) + 1];
    uint8_t* row = &(*out)[y * stride];
    const uint8_t* prev = y > 0 ? &(*out)[(y - 1) * stride] : nullptr;
    for (size_t x = 0; x < stride; ++x) {
      const int a = x >= static_cast<size_t>(bpp) ? row[x - bpp] : 0;
      const int b = prev ? prev[x] : 0;
      const int c = prev && x >= static_cast<size_t>(bpp) ? prev[x - bpp] : 0;
      switch (filter) {
        case 0: row[x] = in[x]; break;
        case 1: row[x] = static_cast<uint8_t>(in[x] + a); break;
        case 2: row[x] = static_cast<uint8_t>(in[x] + b); break;
        case 3: row[x] = static_cast<uint8_t>(in[x] + (a + b) / 2); break;
        case 4: row[x] = static_cast<uint8_t>(in[x] + Paeth(a, b, c)); break;
        default: return absl::DataLossError(absl::StrCat("bad filter ", filter, " in row ", y));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Image> DecodePng(const std::string& bytes) {
  if (bytes.size() < 8 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return absl::DataLossError("not a PNG");
  Image img;
  int bit_depth = 0, colour = 0, interlace = 0;
  std::string idat;
  for (size_t at = 8; at + 8 <= bytes.size();) {
    const uint32_t len = Be32(bytes, at);
    const std::string type = bytes.substr(at + 4, 4);
    if (at + 12 + len > bytes.size()) return absl::DataLossError("truncated chunk " + type);
    if (type == "IHDR") {
      img.width = static_cast<int>(Be32(bytes, at + 8));
      img.height = static_cast<int>(Be32(bytes, at + 12));
      bit_depth = static_cast<uint8_t>(bytes[at + 16]);
      colour = static_cast<uint8_t>(bytes[at + 17]);
      interlace = static_cast<uint8_t>(bytes[at + 20]);
    } else if (type == "IDAT") {
      idat.append(bytes, at + 8, len);
    } else if (type == "IEND") {
      break;
    }
    at += 12 + len;
  }
  if (bit_depth != 8 || (colour != 2 && colour != 6) || interlace != 0) {
    return absl::UnimplementedError(absl::StrCat("PNG depth ", bit_depth, " colour type ", colour));
  }
  const int bpp = colour == 6 ? 4 : 3;
  std::vector<uint8_t> raw((static_cast<size_t>(img.width) * bpp + 1) * img.height);
  uLongf raw_len = raw.size();
  if (uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) != Z_OK ||
      raw_len != raw.size()) {
    return absl::DataLossError("bad image data");
  }
  std::vector<uint8_t> pixels;
  if (absl::Status s = Unfilter(raw, img.width, img.height, bpp, &pixels); !s.ok()) return s;
  img.rgb.reserve(static_cast<size_t>(img.width) * img.height * 3);
  for (size_t i = 0; i < pixels.size(); i += bpp) img.rgb.insert(img.rgb.end(), &pixels[i], &pixels[i] + 3);
  return img;
}

ImageStats Analyse(const Image& image) {
  ImageStats stats;
  std::set<int> colours;
  for (size_t i = 0; i + 2 < image.rgb.size(); i += 3) {
    const int r = image.rgb[i], g = image.rgb[i + 1], b = image.rgb[i + 2];
    if (r < 245 || g < 245 || b < 245) ++stats.non_white;
    colours.insert((r >> 4) << 8 | (g >> 4) << 4 | (b >> 4));
  }
  stats.distinct_colours = static_cast<int>(colours.size());
  return stats;
}

}  // namespace cs::coachctl::testing
