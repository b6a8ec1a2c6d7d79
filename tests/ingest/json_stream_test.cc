#include "ingest/json_stream.h"

#include <gtest/gtest.h>

#include "ingest/byte_source.h"
#include "support/short_read_source.h"

namespace vigil {
namespace {

using json = nlohmann::json;

TEST(JsonStream, MalformedDocumentsNameThePosition) {
  for (auto [text, where] :
       std::vector<std::pair<std::string, std::string>>{{"{\"a\": [1, 2,]}", "1:"},
                                                        {"{\n  \"a\": tru }", "2:"},
                                                        {"{\"a\": 1", "1:"},
                                                        {"", "1:"},
                                                        {"{\"a\": 1} x", "1:"}}) {
    StringSource source(text);
    Status st = StreamJson(source, {});
    ASSERT_FALSE(st.ok()) << text;
    EXPECT_EQ(st.message().substr(0, where.size()), where) << st.message();
    EXPECT_NE(st.message().find("malformed JSON"), std::string::npos) << st.message();
  }
}

// fuzz/regressions/{trivy,grype,sarif,cyclonedx}/json-error-column-at-end-of-input.json: at
// the end of the input, the last read was counted twice, so the column of an error there
// depended on the read sizes.
TEST(JsonStream, ErrorAtTheEndOfTheInputHasOnePositionWhateverTheReadSizes) {
  for (std::string text : {"{\"$ ", "{\"a\": [1, 2", "    ", "\"cEs"}) {
    StringSource whole(text);
    Status expected = StreamJson(whole, {});
    ASSERT_FALSE(expected.ok()) << text;
    // The column of the last byte, once.
    std::string at = "1:" + std::to_string(text.size()) + ": ";
    EXPECT_EQ(expected.message().rfind(at, 0), 0u) << expected.message();
    for (size_t max_read : {1u, 2u, 3u}) {
      testing::ShortReadSource source(text, max_read);
      EXPECT_EQ(StreamJson(source, {}).message(), expected.message()) << text << " " << max_read;
    }
  }
}

TEST(JsonStream, StreamsChosenSubtreesAndKeepsTheRest) {
  StringSource source(R"({"Name": "x",
  "Results": [
    {"Target": "a", "Vulns": [{"id": 1}, {"id": 2}]},
    {"Target": "b", "Vulns": [{"id": 3}]}
  ],
  "Tail": {"k": true}})");
  std::vector<std::string> seen;
  json rest;
  Status st = StreamJson(
      source,
      {{.steps = {"Results", "*", "Vulns", "*"},
        .on_value =
            [&](json& v, const std::vector<std::string>& where, JsonPosition start) {
              seen.push_back(where[1] + ":" + std::to_string(v["id"].get<int>()) + "@" +
                             std::to_string(start.line));
              return Status::Ok();
            }},
       {.steps = {}, .on_value = [&](json& v, const std::vector<std::string>&, JsonPosition) {
          rest = std::move(v);
          return Status::Ok();
        }}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(seen, (std::vector<std::string>{"0:1@3", "0:2@3", "1:3@4"}));
  EXPECT_EQ(rest["Name"], "x");
  EXPECT_EQ(rest["Results"][1]["Target"], "b");
  EXPECT_TRUE(rest["Results"][1]["Vulns"].empty());
  EXPECT_EQ(rest["Tail"]["k"], true);
}

TEST(JsonStream, CallbackErrorStopsTheParse) {
  StringSource source(R"([{"a": 1}, {"a": 2}, {"a": 3}])");
  int calls = 0;
  Status st = StreamJson(
      source, {{.steps = {"*"},
                .on_value = [&](json&, const std::vector<std::string>&, JsonPosition) -> Status {
                  return ++calls == 2 ? InvalidInput("stop") : Status::Ok();
                }}});
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "stop");
  EXPECT_EQ(calls, 2);
}

TEST(JsonStream, ScalarsAtChosenPaths) {
  StringSource source(R"({"SchemaVersion": 2, "list": ["x", "y"]})");
  std::vector<std::string> got;
  Status st = StreamJson(
      source, {{.steps = {"list", "*"},
                .on_value = [&](json& v, const std::vector<std::string>& w, JsonPosition) {
                  got.push_back(w[1] + "=" + v.get<std::string>());
                  return Status::Ok();
                }}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(got, (std::vector<std::string>{"0=x", "1=y"}));
}

// Issue 13: the position of an error at the end of the file was counted twice (a file of
// 23 short lines cut before its last brace was refused at "23:635").
TEST(JsonStream, TruncatedDocumentsNameTheirLastLine) {
  StringSource source("{\n  \"a\": [\n    1\n  ]\n");
  Status st = StreamJson(source, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().substr(0, 4), "5:1:") << st.message();
}

TEST(JsonStream, RefusesAKeyGivenTwice) {
  for (const char* text : {R"({"a": 1, "b": 2, "a": 3})", R"({"x": {"a": [], "a": {}}})"}) {
    StringSource source(text);
    Status st = StreamJson(source, {});
    ASSERT_FALSE(st.ok()) << text;
    EXPECT_NE(st.message().find("the key \"a\" appears twice"), std::string::npos) << st.message();
  }
  // A key whose value was handed over is remembered too.
  StringSource streamed(R"({"Results": [1], "Results": [2]})");
  Status st = StreamJson(streamed, {{.steps = {"Results", "*"},
                                     .on_value = [](json&, const std::vector<std::string>&,
                                                    JsonPosition) { return Status::Ok(); }},
                                    {.steps = {"Results"},
                                     .on_value = [](json&, const std::vector<std::string>&,
                                                    JsonPosition) { return Status::Ok(); }}});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().substr(0, 5), "1:26:") << st.message();  // after the key
}

// Grype writes "\u0000" in CPEs of Java packages: read, but as U+FFFD, never as a NUL.
TEST(JsonStream, ReadsAnEscapedNulAsAReplacementCharacter) {
  StringSource source(R"({"a": "x\u0000y", "b\u0000": 1})");
  json root;
  Status st = StreamJson(
      source,
      {{.steps = {}, .on_value = [&](json& v, const std::vector<std::string>&, JsonPosition) {
          root = std::move(v);
          return Status::Ok();
        }}});
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(root["a"], "x\xEF\xBF\xBDy");
  EXPECT_TRUE(root.contains("b\xEF\xBF\xBD"));
}

}  // namespace
}  // namespace vigil
