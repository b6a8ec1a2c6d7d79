// The input policy's file layer (issue 13): what is opened, how much is read, how gzip is
// inflated, and the import's memory limit.
#include "ingest/input_file.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "ingest/gunzip_source.h"
#include "ingest/input_policy.h"
#include "ingest/memory_guard.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

class InputFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vigil-input-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& bytes) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static std::string Gzip(const std::string& text) {
    z_stream z{};
    EXPECT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
    std::string out(deflateBound(&z, text.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  }

  fs::path dir_;
};

void ExpectRefused(const Result<std::string>& r, const std::string& needle) {
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

TEST_F(InputFile, ReadsARegularFile) {
  auto r = ReadInputText(Write("a.csv", "name\nx\n"), InputKind::kInventory);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "name\nx\n");
}

TEST_F(InputFile, RefusesADirectoryByName) {
  ExpectRefused(ReadInputText(dir_.string(), InputKind::kConfig),
                dir_.string() + ": a directory, not a regular file");
}

TEST_F(InputFile, RefusesAFifoWithoutBlocking) {
  std::string fifo = (dir_ / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto start = std::chrono::steady_clock::now();
  ExpectRefused(ReadInputText(fifo, InputKind::kEpss), "a FIFO (named pipe), not a regular file");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST_F(InputFile, RefusesADevice) {
  ExpectRefused(ReadInputText("/dev/zero", InputKind::kNvd),
                "/dev/zero: a character device, not a regular file");
}

TEST_F(InputFile, RefusesAFileOverItsLimitBeforeReadingIt) {
  std::string path =
      Write("big.toml", std::string(LimitsFor(InputKind::kConfig).max_file_bytes + 1, '#'));
  ExpectRefused(ReadInputText(path, InputKind::kConfig),
                ": larger than 4 MiB, the limit for a configuration file");
}

TEST_F(InputFile, InflatesGzipWhereTheKindAcceptsIt) {
  std::string gz = Gzip("cve,epss,percentile\n");
  auto r = ReadInputText(Write("e.csv.gz", gz), InputKind::kEpss);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(*r, "cve,epss,percentile\n");
  // An inventory is never inflated: its bytes are what they are.
  auto raw = ReadInputText(Write("i.csv", gz), InputKind::kInventory);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(*raw, gz);
}

TEST_F(InputFile, StopsACompressionBombEarly) {
  // 64 MiB of blanks inflate from about 64 KiB: past the ratio once the slack is used.
  std::string gz = Gzip(std::string(64 << 20, ' '));
  ASSERT_LT(gz.size(), 1u << 20);
  ExpectRefused(ReadInputText(Write("bomb.json.gz", gz), InputKind::kNvd),
                "times its compressed size, the limit for an NVD file (a compression bomb?)");
}

TEST_F(InputFile, RefusesTruncatedCorruptAndTrailingGzip) {
  std::string gz = Gzip(std::string(100000, 'x') + "y");
  ExpectRefused(ReadInputText(Write("cut.gz", gz.substr(0, gz.size() / 2)), InputKind::kEpss),
                "the gzip stream is truncated");
  std::string corrupt = gz;
  corrupt[corrupt.size() - 3] ^= 0x55;  // the length in the trailer
  ExpectRefused(ReadInputText(Write("bad.gz", corrupt), InputKind::kEpss), "a corrupt gzip stream");
  ExpectRefused(ReadInputText(Write("tail.gz", gz + "junk"), InputKind::kEpss),
                "data after the end of the gzip stream");
}

TEST(MemoryGuard, MeasuresAndRefusesPastTheLimit) {
  uint64_t resident = ResidentBytes();
  ASSERT_GT(resident, 0u);
  EXPECT_TRUE(CheckImportMemory("r.json", resident * 4 + (64 << 20)).ok());
#if !defined(__SANITIZE_ADDRESS__)
  Status s = CheckImportMemory("r.json", 1 << 20);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message().rfind("r.json: importing it needs more than 1 MiB of memory", 0), 0u)
      << s.message();
#endif
}

TEST(MemoryGuard, OnlyImportsAreHeldToIt) {
  EXPECT_TRUE(IsImport(InputKind::kScanReport));
  EXPECT_TRUE(IsImport(InputKind::kKev));
  EXPECT_FALSE(IsImport(InputKind::kConfig));
  EXPECT_FALSE(IsImport(InputKind::kPackFile));
}

}  // namespace
}  // namespace vigil
