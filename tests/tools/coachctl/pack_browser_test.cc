// The 1:1 pack in a real browser: headless Chromium renders the page from
// a file (no network), the screenshot is not blank (many non-white pixels
// in several colours: the charts drew), and the key numbers are in the
// rendered DOM text.

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "tests/tools/coachctl/pack_fixture.h"
#include "tests/tools/coachctl/png.h"
#include "tools/coachctl/pack.h"

namespace cs::coachctl {
namespace {

std::string FindChromium() {
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
    if (std::filesystem::exists(p)) return p;
  }
  return "";
}

// Runs a shell command; returns its stdout and sets *status.
std::string Shell(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class PackBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chromium_ = FindChromium();
    if (chromium_.empty()) GTEST_SKIP() << "chromium is not installed (scripts/setup.sh installs it)";
    dir_ = std::filesystem::temp_directory_path() / ("coachctl_pack_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    html_ = (dir_ / "pack.html").string();
    std::ofstream(html_) << RenderPack(testing::DanaPack());
  }
  void TearDown() override {
    if (!dir_.empty() && std::getenv("CS_KEEP_TMP") == nullptr) std::filesystem::remove_all(dir_);
  }
  // Common flags: no sandbox (containers), no GPU, a private profile, and
  // no network access at all, so a missed external asset would show.
  std::string Chromium(const std::string& extra) {
    return chromium_ + " --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run " +
           "--user-data-dir=" + (dir_ / "profile").string() +
           " --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --window-size=1200,2000 " + extra +
           " file://" + html_ + " 2>" + (dir_ / "chromium.log").string();
  }

  std::string chromium_;
  std::filesystem::path dir_;
  std::string html_;
};

TEST_F(PackBrowserTest, ScreenshotIsNotBlankAndTheNumbersAreOnThePage) {
  const std::string png = (dir_ / "pack.png").string();
  int status = -1;
  Shell(Chromium("--screenshot=" + png), &status);
  ASSERT_TRUE(std::filesystem::exists(png)) << ReadFile((dir_ / "chromium.log").string());
  auto image = testing::DecodePng(ReadFile(png));
  ASSERT_TRUE(image.ok()) << image.status();
  EXPECT_EQ(image->width, 1200);
  EXPECT_GE(image->height, 1000);
  const testing::ImageStats stats = testing::Analyse(*image);
  const int64_t pixels = int64_t{image->width} * image->height;
  EXPECT_GT(stats.non_white, pixels / 50) << "mostly blank";
  EXPECT_LT(stats.non_white, pixels * 9 / 10) << "mostly filled: not a rendered page";
  EXPECT_GE(stats.distinct_colours, 8) << "the charts' greens, reds and blues are missing";

  const std::string dom = Shell(Chromium("--dump-dom"), &status);
  ASSERT_EQ(WEXITSTATUS(status), 0) << ReadFile((dir_ / "chromium.log").string());
  for (const char* text : {"Monthly 1:1", "Dana Reyes", "18% vs 31%", "$42,000", "$23,400 a month", "$58,000",
                           "4.1x", "Globex renewal", "off track", "What help do you need from me?", "peers 31%",
                           "goal 27%"}) {
    EXPECT_NE(dom.find(text), std::string::npos) << text;
  }
  EXPECT_NE(dom.find("<svg"), std::string::npos);
}

}  // namespace
}  // namespace cs::coachctl
