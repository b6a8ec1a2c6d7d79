// Signed notes and checkpoints: our own round trips, tampering refused, and the published
// vectors of $VIGIL_CORPUS/merkle/signed-note-example.txt (skipped when the corpus is absent).
#include "audit/signed_note.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "audit/audit_event.h"
#include "audit/canonical_json.h"
#include "core/base64.h"

namespace vigil::note {
namespace {

TEST(SignedNote, SignsAndOpensAndRefusesTampering) {
  Ed25519Key key = std::move(Ed25519Key::Generate()).value();
  std::string vkey = VerifierKey("vigil.example/log", key.public_key());
  Verifier v = *ParseVerifierKey(vkey);
  EXPECT_EQ(v.name, "vigil.example/log");
  Checkpoint c{.origin = "vigil.example/log",
               .size = 42,
               .root = merkle::EmptyRoot(),
               .extensions = {"time 2026-03-02T12:00:00Z"}};
  std::string text = CheckpointText(c);
  std::string signed_note = *Sign(text, "vigil.example/log", key);
  auto opened = Open(signed_note, {v});
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  EXPECT_EQ(opened->text, text);
  auto back = ParseCheckpoint(opened->text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->size, 42u);
  EXPECT_EQ(back->root, merkle::EmptyRoot());
  EXPECT_EQ(back->extensions, std::vector<std::string>{"time 2026-03-02T12:00:00Z"});
  // Any change to the text breaks the signature; another key is not trusted.
  std::string tampered = signed_note;
  tampered[text.find("42")] = '3';
  EXPECT_FALSE(Open(tampered, {v}).ok());
  Ed25519Key other = std::move(Ed25519Key::Generate()).value();
  EXPECT_FALSE(
      Open(signed_note, {*ParseVerifierKey(VerifierKey("vigil.example/log", other.public_key()))})
          .ok());
  EXPECT_FALSE(
      ParseCheckpoint("origin\n012\n" + merkle::ToBase64(merkle::EmptyRoot()) + "\n").ok());
  EXPECT_FALSE(ParseCheckpoint("origin\n12\nnot-a-hash\n").ok());
  EXPECT_FALSE(Sign("no final newline", "x", key).ok());
}

TEST(CanonicalJson, EscapesAndLeafLayout) {
  EXPECT_EQ(JsonString("a\"b\\c\n\x01\xC3\xA9"), "\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\"");
  EXPECT_EQ(JsonString("bad \xFF byte"), "\"bad \xEF\xBF\xBD byte\"");
  AuditEvent e{.seq = 7,
               .at = FromUnixSeconds(1772445600),
               .actor = "carol",
               .type = "decision.approved",
               .subject = "decision #1",
               .payload = "{\"note\":\"ok\"}"};
  EXPECT_EQ(CanonicalLeaf(e),
            "{\"actor\":\"carol\",\"at\":1772445600,\"payload\":{\"note\":\"ok\"},\"seq\":7,"
            "\"subject\":\"decision #1\",\"type\":\"decision.approved\"}");
}

struct Vector {
  std::vector<std::string> vkeys;
  std::string skey;
  std::string note;
};

std::vector<Vector> ReadVectors(const std::string& path) {
  std::ifstream in(path);
  std::vector<Vector> out;
  std::string line;
  bool in_note = false;
  while (std::getline(in, line)) {
    if (line.rfind("=== VECTOR", 0) == 0) {
      out.emplace_back();
    } else if (line.rfind("VKEY: ", 0) == 0) {
      out.back().vkeys.push_back(line.substr(6));
    } else if (line.rfind("SKEY: ", 0) == 0) {
      out.back().skey = line.substr(6);
    } else if (line == "-----BEGIN NOTE-----") {
      in_note = true;
    } else if (line == "-----END NOTE-----") {
      in_note = false;
    } else if (in_note) {
      out.back().note += line + "\n";
    }
  }
  return out;
}

TEST(SignedNote, PublishedVectors) {
  const char* corpus = std::getenv("VIGIL_CORPUS");
  if (corpus == nullptr || *corpus == '\0') {
    GTEST_SKIP() << "VIGIL_CORPUS is not set: the signed-note vectors were not run";
  }
  auto vectors = ReadVectors(std::string(corpus) + "/merkle/signed-note-example.txt");
  ASSERT_EQ(vectors.size(), 4u);
  for (const auto& v : vectors) {
    std::vector<Verifier> known;
    for (const auto& k : v.vkeys) {
      auto parsed = ParseVerifierKey(k);
      ASSERT_TRUE(parsed.ok()) << k << ": " << parsed.status().message();
      known.push_back(*parsed);
    }
    auto opened = Open(v.note, known);
    ASSERT_TRUE(opened.ok()) << v.note << opened.status().message();
    EXPECT_EQ(opened->verified_by.size(), v.vkeys.size());
    // With only the first key, other signatures are unknown, not failures.
    auto first_only = Open(v.note, {known[0]});
    ASSERT_TRUE(first_only.ok());
    EXPECT_EQ(first_only->unknown_signatures, v.vkeys.size() - 1);
    if (!v.skey.empty()) {
      // PRIVATE+KEY+<name>+<id>+<base64(0x01 || seed)>: Ed25519 is deterministic, so signing
      // the text again gives the published note.
      size_t at = 0;
      for (int i = 0; i < 4; ++i) {
        at = v.skey.find('+', at) + 1;  // the base64 after the fourth '+' may hold '+' too
      }
      auto seed_or = Base64Decode(v.skey.substr(at));
      ASSERT_TRUE(seed_or.ok()) << seed_or.status().message();
      std::string seed = *seed_or;
      Ed25519Key key = std::move(Ed25519Key::FromSeed(seed.substr(1))).value();
      EXPECT_EQ(*Sign(opened->text, known[0].name, key), v.note);
    }
  }
  auto checkpoint =
      ParseCheckpoint(Open(vectors[3].note, {*ParseVerifierKey(vectors[3].vkeys[0])})->text);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(checkpoint->origin, "go.sum database tree");
  EXPECT_EQ(checkpoint->size, 6476701u);
  EXPECT_EQ(merkle::ToBase64(checkpoint->root), "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=");
}

}  // namespace
}  // namespace vigil::note
