// Measures vigil's two JSON readers against simdjson and nlohmann/json on one file: the time to
// parse it and walk every value (every key, every string decoded, every number converted), and
// what each makes of hostile input. docs/decisions/0006-json-reader.md has the results;
// bench/run_json_bench.sh builds and runs this (it is not part of the normal build).
//
//   json_reader_bench READER FILE [--repeat N] [--paths P1,P2,...]
//
// READER is one of
//   vigil-cursor       JsonCursor (NVD, KEV) over the file in memory, walking every value
//   vigil-cursor-skip  JsonCursor::Skip over the whole document: syntax only, nothing decoded
//   utf8-check         not a JSON reader: a scalar UTF-8 check of the whole file in memory,
//                      what strict UTF-8 would add to the cursor at most
//   vigil-stream       StreamJson (Trivy, Grype, SARIF, CycloneDX) reading the file in 64 KiB
//                      chunks, each value at a path of --paths handed over and dropped, the
//                      rest kept as a tree (default: the root, so the whole tree)
//   nlohmann-sax       nlohmann::json::sax_parse from the file with a handler that only counts
//   nlohmann-dom       nlohmann::json::parse of the file in memory, then a walk of the tree
//   simdjson-dom       simdjson::dom::parser::parse of the file in memory, then a walk
//   simdjson-ondemand  simdjson::ondemand::parser::iterate, walking every value
//
// Readers that hold the file read it before the clock starts; the streaming ones read it while
// timed (from the page cache). Prints one line: reader, bytes, the fastest of N seconds, MB/s,
// the counts walked, "ok" or the error, and the first values read ("echo", for hostile input).
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "ingest/byte_source.h"
#include "ingest/json_cursor.h"
#include "ingest/json_stream.h"

namespace {

using nlohmann::json;

// What a walk saw: counts, and the first values as text to show what a reader made of them.
struct Tally {
  uint64_t values = 0;
  uint64_t strings = 0;
  uint64_t string_bytes = 0;
  uint64_t numbers = 0;
  double number_sum = 0;
  std::string echo;

  void Echo(std::string_view s) {
    if (echo.size() < 160) {
      echo.append(s.substr(0, 160 - echo.size()));
    }
  }
  void String(std::string_view s) {
    ++values;
    ++strings;
    string_bytes += s.size();
    Echo("\"");
    Echo(s);
    Echo("\"");
  }
  void Number(double d) {
    ++values;
    ++numbers;
    number_sum += d;
    std::ostringstream o;
    o << d;
    Echo(o.str());
  }
  void Other(std::string_view what) {
    ++values;
    Echo(what);
  }
};

struct Outcome {
  bool ok = true;
  std::string error;
};

// The whole file in one string, read once (no copy: peak RSS is the file's size).
std::string ReadAll(const std::string& path) {
  std::string text(std::filesystem::file_size(path), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

// --- vigil's JsonCursor -----------------------------------------------------------------

bool WalkCursor(vigil::JsonCursor& c, Tally& t) {
  switch (c.Peek()) {
    case vigil::JsonCursor::Kind::kObject: {
      if (!c.EnterObject()) {
        return false;
      }
      t.Other("{");
      std::string_view key;
      while (c.NextKey(key)) {
        t.String(key);
        t.Echo(":");
        if (!WalkCursor(c, t)) {
          return false;
        }
        t.Echo(",");
      }
      t.Echo("}");
      return c.ok();
    }
    case vigil::JsonCursor::Kind::kArray: {
      if (!c.EnterArray()) {
        return false;
      }
      t.Other("[");
      while (c.NextElement()) {
        if (!WalkCursor(c, t)) {
          return false;
        }
        t.Echo(",");
      }
      t.Echo("]");
      return c.ok();
    }
    case vigil::JsonCursor::Kind::kString: {
      std::string s;
      if (!c.String(s)) {
        return false;
      }
      t.String(s);
      return true;
    }
    case vigil::JsonCursor::Kind::kNumber: {
      double d = 0;
      if (!c.Number(d)) {
        return false;
      }
      t.Number(d);
      return true;
    }
    case vigil::JsonCursor::Kind::kBool: {
      bool b = false;
      if (!c.Bool(b)) {
        return false;
      }
      t.Other(b ? "true" : "false");
      return true;
    }
    case vigil::JsonCursor::Kind::kNull:
      t.Other("null");
      return c.Skip();
    case vigil::JsonCursor::Kind::kEnd:
      return c.Skip();  // fails with the cursor's message
  }
  return false;
}

Outcome RunCursor(const std::string& text, bool skip_only, Tally& t) {
  vigil::JsonCursor c(text);
  bool ok = skip_only ? c.Skip() : WalkCursor(c, t);
  ok = ok && c.End();
  return ok ? Outcome{} : Outcome{false, c.error().message()};
}

// --- what strict UTF-8 would cost the cursor ------------------------------------------

// RFC 3629 UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF), eight ASCII bytes at a
// time: a pass over the whole text, the most a check inside the cursor's strings could cost.
bool ValidUtf8(std::string_view s, size_t& bad) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t word = 0;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
    if (len == 0 || i + len > n) {
      bad = i;
      return false;
    }
    unsigned char c1 = p[i + 1];
    unsigned char lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    bool ok = c1 >= lo && c1 <= hi;
    for (size_t k = 2; k < len && ok; ++k) {
      ok = (p[i + k] & 0xC0) == 0x80;
    }
    if (!ok) {
      bad = i;
      return false;
    }
    i += len;
  }
  return true;
}

Outcome RunUtf8Check(const std::string& text) {
  size_t bad = 0;
  if (!ValidUtf8(text, bad)) {
    return {false, "invalid UTF-8 at byte " + std::to_string(bad)};
  }
  return {};
}

// --- nlohmann trees (vigil's StreamJson hands them over) -------------------------------

// The walks of trees recurse; deeper than this they stop (the tree is built all the same).
constexpr int kMaxWalkDepth = 10000;

void WalkTree(const json& v, Tally& t, int depth = 0) {
  if (depth > kMaxWalkDepth) {
    t.Echo("(deeper not walked)");
    return;
  }
  switch (v.type()) {
    case json::value_t::object:
      t.Other("{");
      for (const auto& [key, value] : v.items()) {
        t.String(key);
        t.Echo(":");
        WalkTree(value, t, depth + 1);
        t.Echo(",");
      }
      t.Echo("}");
      break;
    case json::value_t::array:
      t.Other("[");
      for (const json& e : v) {
        WalkTree(e, t, depth + 1);
        t.Echo(",");
      }
      t.Echo("]");
      break;
    case json::value_t::string:
      t.String(v.get_ref<const std::string&>());
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float:
      t.Number(v.get<double>());
      break;
    case json::value_t::boolean:
      t.Other(v.get<bool>() ? "true" : "false");
      break;
    default:
      t.Other("null");
      break;
  }
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) {
    out.push_back(part);
  }
  return out;
}

Outcome RunStream(const std::string& path, const std::string& paths, Tally& t) {
  auto source = vigil::FileSource::Open(path);
  if (!source.ok()) {
    return {false, source.status().message()};
  }
  std::vector<vigil::JsonStreamPath> chosen;
  auto walk = [&t](json& v, const std::vector<std::string>&, vigil::JsonPosition) {
    WalkTree(v, t);
    return vigil::Status::Ok();
  };
  for (const std::string& p : Split(paths, ',')) {
    chosen.push_back(
        {.steps = p == "." ? std::vector<std::string>{} : Split(p, '/'), .on_value = walk});
  }
  if (paths.empty()) {
    chosen.push_back({.steps = {}, .on_value = walk});
  }
  vigil::Status st = vigil::StreamJson(**source, std::move(chosen));
  return st.ok() ? Outcome{} : Outcome{false, st.message()};
}

// --- nlohmann -------------------------------------------------------------------------

class CountingSax final : public nlohmann::json_sax<json> {
 public:
  explicit CountingSax(Tally& t) : t_(t) {}
  bool null() override { return Other("null"); }
  bool boolean(bool v) override { return Other(v ? "true" : "false"); }
  bool number_integer(number_integer_t v) override { return Number(static_cast<double>(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Number(static_cast<double>(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Number(v); }
  bool string(string_t& v) override {
    t_.String(v);
    return true;
  }
  bool binary(binary_t&) override { return Other("binary"); }
  bool start_object(std::size_t) override { return Other("{"); }
  bool key(string_t& k) override {
    t_.String(k);
    t_.Echo(":");
    return true;
  }
  bool end_object() override { return Other("}"); }
  bool start_array(std::size_t) override { return Other("["); }
  bool end_array() override { return Other("]"); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    error_ = e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  bool Other(std::string_view what) {
    t_.Other(what);
    return true;
  }
  bool Number(double d) {
    t_.Number(d);
    return true;
  }
  Tally& t_;
  std::string error_;
};

Outcome RunNlohmannSax(const std::string& path, Tally& t) {
  std::ifstream in(path, std::ios::binary);
  CountingSax sax(t);
  try {
    if (!json::sax_parse(in, &sax, json::input_format_t::json, true)) {
      return {false, sax.error()};
    }
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
  return {};
}

Outcome RunNlohmannDom(const std::string& text, Tally& t) {
  try {
    json doc = json::parse(text);
    WalkTree(doc, t);
  } catch (const std::exception& e) {
    return {false, e.what()};
  }
  return {};
}

// --- simdjson -------------------------------------------------------------------------

void WalkDom(simdjson::dom::element e, Tally& t) {
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT: {
      simdjson::dom::object obj = e.get_object().value_unsafe();
      t.Other("{");
      for (auto field : obj) {
        t.String(field.key);
        t.Echo(":");
        WalkDom(field.value, t);
        t.Echo(",");
      }
      t.Echo("}");
      break;
    }
    case simdjson::dom::element_type::ARRAY: {
      simdjson::dom::array arr = e.get_array().value_unsafe();
      t.Other("[");
      for (simdjson::dom::element child : arr) {
        WalkDom(child, t);
        t.Echo(",");
      }
      t.Echo("]");
      break;
    }
    case simdjson::dom::element_type::STRING:
      t.String(e.get_string().value_unsafe());
      break;
    case simdjson::dom::element_type::INT64:
      t.Number(static_cast<double>(e.get_int64().value_unsafe()));
      break;
    case simdjson::dom::element_type::UINT64:
      t.Number(static_cast<double>(e.get_uint64().value_unsafe()));
      break;
    case simdjson::dom::element_type::DOUBLE:
      t.Number(e.get_double().value_unsafe());
      break;
    case simdjson::dom::element_type::BOOL:
      t.Other(e.get_bool().value_unsafe() ? "true" : "false");
      break;
    case simdjson::dom::element_type::NULL_VALUE:
      t.Other("null");
      break;
  }
}

Outcome RunSimdDom(const simdjson::padded_string& text, Tally& t) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::error_code err = parser.parse(text).get(root);
  if (err != simdjson::SUCCESS) {
    return {false, simdjson::error_message(err)};
  }
  WalkDom(root, t);
  return {};
}

// On-Demand has no depth limit of its own (its max_depth is checked only in development
// builds): a recursive walk must keep one, or deep input overflows the stack. This one stops
// where simdjson's DOM parser stops by default.
constexpr int kOnDemandMaxDepth = simdjson::DEFAULT_MAX_DEPTH;

simdjson::error_code WalkOnDemand(simdjson::ondemand::value v, Tally& t, int depth = 0) {
  if (depth > kOnDemandMaxDepth) {
    return simdjson::DEPTH_ERROR;
  }
  simdjson::ondemand::json_type type;
  if (auto err = v.type().get(type)) {
    return err;
  }
  switch (type) {
    case simdjson::ondemand::json_type::object: {
      simdjson::ondemand::object obj;
      if (auto err = v.get_object().get(obj)) {
        return err;
      }
      t.Other("{");
      for (auto field : obj) {
        std::string_view key;
        if (auto err = field.unescaped_key().get(key)) {
          return err;
        }
        t.String(key);
        t.Echo(":");
        simdjson::ondemand::value child;
        if (auto err = field.value().get(child)) {
          return err;
        }
        if (auto err = WalkOnDemand(child, t, depth + 1)) {
          return err;
        }
        t.Echo(",");
      }
      t.Echo("}");
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::array: {
      simdjson::ondemand::array arr;
      if (auto err = v.get_array().get(arr)) {
        return err;
      }
      t.Other("[");
      for (auto element : arr) {
        simdjson::ondemand::value child;
        if (auto err = element.get(child)) {
          return err;
        }
        if (auto err = WalkOnDemand(child, t, depth + 1)) {
          return err;
        }
        t.Echo(",");
      }
      t.Echo("]");
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::string: {
      std::string_view s;
      if (auto err = v.get_string().get(s)) {
        return err;
      }
      t.String(s);
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::number: {
      double d = 0;
      if (auto err = v.get_double().get(d)) {
        return err;
      }
      t.Number(d);
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::boolean: {
      bool b = false;
      if (auto err = v.get_bool().get(b)) {
        return err;
      }
      t.Other(b ? "true" : "false");
      return simdjson::SUCCESS;
    }
    case simdjson::ondemand::json_type::null: {
      bool null = false;
      if (auto err = v.is_null().get(null)) {
        return err;
      }
      t.Other("null");
      return null ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

Outcome RunSimdOnDemand(const simdjson::padded_string& text, Tally& t) {
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::error_code err = parser.iterate(text).get(doc);
  simdjson::ondemand::value root;
  if (err == simdjson::SUCCESS) {
    err = doc.get_value().get(root);
  }
  if (err == simdjson::SUCCESS) {
    err = WalkOnDemand(root, t);
  }
  const char* rest = nullptr;  // a location in bounds after the walk: something follows
  if (err == simdjson::SUCCESS && doc.current_location().get(rest) == simdjson::SUCCESS) {
    err = simdjson::TRAILING_CONTENT;
  }
  return err == simdjson::SUCCESS ? Outcome{} : Outcome{false, simdjson::error_message(err)};
}

// One line of text for the table: control characters and non-ASCII bytes as \xNN.
std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", u);
      out += hex;
    } else {
      out += c;
    }
  }
  return out;
}

int Usage() {
  std::cerr << "usage: json_reader_bench READER FILE [--repeat N] [--paths P1,P2,...]\n"
               "readers: utf8-check vigil-cursor vigil-cursor-skip vigil-stream nlohmann-sax "
               "nlohmann-dom "
               "simdjson-dom simdjson-ondemand\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    return Usage();
  }
  std::string reader = argv[1];
  std::string path = argv[2];
  int repeat = 1;
  std::string paths;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--repeat") {
      repeat = std::max(1, std::stoi(argv[i + 1]));
    } else if (flag == "--paths") {
      paths = argv[i + 1];
    } else {
      return Usage();
    }
  }
  bool in_memory = reader != "vigil-stream" && reader != "nlohmann-sax";
  bool simd = reader.rfind("simdjson-", 0) == 0;
  std::string text;
  simdjson::padded_string padded;
  if (simd) {
    if (simdjson::padded_string::load(path).get(padded) != simdjson::SUCCESS) {
      std::cerr << "cannot read " << path << "\n";
      return 2;
    }
  } else if (in_memory) {
    text = ReadAll(path);
  }
  uint64_t bytes = simd        ? padded.size()
                   : in_memory ? text.size()
                               : std::filesystem::file_size(path);

  double best = 1e300;
  Tally tally;
  Outcome outcome;
  for (int r = 0; r < repeat; ++r) {
    tally = Tally{};
    auto start = std::chrono::steady_clock::now();
    if (reader == "utf8-check") {
      outcome = RunUtf8Check(text);
    } else if (reader == "vigil-cursor" || reader == "vigil-cursor-skip") {
      outcome = RunCursor(text, reader == "vigil-cursor-skip", tally);
    } else if (reader == "vigil-stream") {
      outcome = RunStream(path, paths, tally);
    } else if (reader == "nlohmann-sax") {
      outcome = RunNlohmannSax(path, tally);
    } else if (reader == "nlohmann-dom") {
      outcome = RunNlohmannDom(text, tally);
    } else if (reader == "simdjson-dom") {
      outcome = RunSimdDom(padded, tally);
    } else if (reader == "simdjson-ondemand") {
      outcome = RunSimdOnDemand(padded, tally);
    } else {
      return Usage();
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  std::printf(
      "reader=%s bytes=%llu seconds=%.4f mbps=%.1f values=%llu strings=%llu "
      "string_bytes=%llu numbers=%llu result=%s echo=%s\n",
      reader.c_str(), static_cast<unsigned long long>(bytes), best,
      static_cast<double>(bytes) / 1e6 / best, static_cast<unsigned long long>(tally.values),
      static_cast<unsigned long long>(tally.strings),
      static_cast<unsigned long long>(tally.string_bytes),
      static_cast<unsigned long long>(tally.numbers),
      outcome.ok ? "ok" : Printable("error: " + outcome.error).c_str(),
      Printable(tally.echo).c_str());
  return outcome.ok ? 0 : 1;
}
