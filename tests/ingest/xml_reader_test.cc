// The XML reader against expat as an oracle: on every document both must see the same
// elements, attributes and text, and both must refuse the same broken documents.
#include "ingest/xml_reader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/byte_source.h"
#include "support/expat_reader.h"
#include "support/short_read_source.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

// Records events as text; adjacent text pieces are joined (readers may split text anywhere).
class Transcript final : public XmlHandler {
 public:
  Status OnStart(std::string_view name, const char** attrs) override {
    Flush();
    out << "<" << name;
    for (size_t i = 0; attrs[i] != nullptr; i += 2) {
      out << " " << attrs[i] << "=[" << attrs[i + 1] << "]";
    }
    out << ">\n";
    return Status::Ok();
  }
  Status OnEnd(std::string_view name) override {
    Flush();
    out << "</" << name << ">\n";
    return Status::Ok();
  }
  Status OnText(std::string_view text) override {
    text_.append(text);
    return Status::Ok();
  }
  std::string str() {
    Flush();
    return out.str();
  }

 private:
  void Flush() {
    if (!text_.empty()) {
      out << "text[" << text_ << "]\n";
      text_.clear();
    }
  }
  std::ostringstream out;
  std::string text_;
};

struct Outcome {
  bool ok;
  std::string transcript;
  std::string error;
};

Outcome WithVigil(const std::string& doc) {
  StringSource source(doc, "doc");
  Transcript t;
  XmlReader reader;
  Status st = reader.Parse(source, t);
  return {st.ok(), t.str(), st.message()};
}

Outcome WithExpat(const std::string& doc) {
  StringSource source(doc, "doc");
  Transcript t;
  testing::ExpatReader reader;
  Status st = reader.Parse(source, t);
  return {st.ok(), t.str(), st.message()};
}

void ExpectSameAsExpat(const std::string& doc, const std::string& what) {
  Outcome mine = WithVigil(doc);
  Outcome oracle = WithExpat(doc);
  EXPECT_EQ(mine.ok, oracle.ok) << what << "\nvigil: " << mine.error << "\nexpat: " << oracle.error;
  if (mine.ok && oracle.ok) {
    EXPECT_EQ(mine.transcript, oracle.transcript) << what;
  }
}

const char* kBroken[] = {
    "",
    "   ",
    "plain text",
    "<a>",
    "<a></b>",
    "<a><b></a></b>",
    "<a/><b/>",
    "<a/>junk",
    "<a x='1' x='2'/>",
    "<a x=1/>",
    "<a x='<'/>",
    "<a>&unknown;</a>",
    "<a>&#0;</a>",
    "<a>&#xD800;</a>",
    "<a>&amp</a>",
    "<a>\x01</a>",
    "<a>\xC3\x28</a>",
    "<a>\xE0\x80\x80</a>",
    "<a><![CDATA[x</a>",
    "<a><!-- x</a>",
    "<?xml version='1.0'?><a><?xml version='1.0'?></a>",
    "<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
    "<!DOCTYPE a [<!ENTITY % p SYSTEM 'file:///etc/passwd'> %p;]><a/>",
    "<1a/>",
    "<a b='x'c='y'/>",
};

TEST(XmlReader, RefusesWhatExpatRefuses) {
  for (const char* doc : kBroken) {
    Outcome mine = WithVigil(doc);
    EXPECT_FALSE(mine.ok) << "accepted: " << doc;
    EXPECT_EQ(mine.error.rfind("doc:", 0), 0u) << mine.error;
  }
}

TEST(XmlReader, ReadsWhatExpatReads) {
  const char* docs[] = {
      "<a/>",
      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a b=\"1\" c='2'>t</a>\n",
      "<a>x &lt; y &gt; z &amp; &quot;q&quot; &apos;s&apos; &#65;&#x42;&#x1F600;</a>",
      "<a>line1\r\nline2\rline3\n</a>",
      "<a b=\"x\ty\r\nz &amp; &#10;\"/>",
      "<a><![CDATA[<not> &amp; markup]]]></a>",
      "<!DOCTYPE a SYSTEM \"a.dtd\"><a/>",
      "<!DOCTYPE a [<!ELEMENT a ANY>]><a/>",
      "<a><?pi data?><b:c xmlns:b='u' b:d='e'>ü日本😀</b:c></a>",
      "<?xml version='1.0' encoding='ISO-8859-1'?><a t='\xe9'>caf\xe9</a>",
      "<a>]]</a>",
  };
  for (const char* doc : docs) {
    Outcome mine = WithVigil(doc);
    EXPECT_TRUE(mine.ok) << doc << ": " << mine.error;
    ExpectSameAsExpat(doc, doc);
  }
}

// fuzz/regressions/{openvas,qualys}/xml-declaration-depends-on-read-size.xml: the declaration
// was looked for in however many bytes the first reads returned, and ended at the first "?>"
// found there, so its encoding depended on the read sizes.
TEST(XmlReader, ReadsTheDeclarationTheSameWhateverTheReadSizes) {
  const std::string docs[] = {
      "<?xml version='1.0' encoding='ISO-8859-1'?><a t='\xe9'>caf\xe9</a>",
      "<?xml version='1.0' encoding='UTF>" + std::string(300, ' ') + "<a/>?>",
      "<?xml version='1.0'" + std::string(300, ' ') + "encoding='latin1'?><a/>",
  };
  for (const std::string& doc : docs) {
    Outcome whole = WithVigil(doc);
    for (size_t max_read : {1u, 7u, 300u}) {
      testing::ShortReadSource source(doc, max_read, "doc");
      Transcript t;
      XmlReader reader;
      Status st = reader.Parse(source, t);
      EXPECT_EQ(st.message(), whole.error) << doc << " " << max_read;
      EXPECT_EQ(t.str(), whole.transcript) << doc << " " << max_read;
    }
  }
}

TEST(XmlReader, SplitsAtEveryChunkBoundaryTheSame) {
  // Text, entities, CDATA and multi-byte characters cut at every possible place.
  std::string unit = "<i a='&amp;ü'>x&lt;ü😀\r\n<![CDATA[c]]>y</i>";
  std::string doc = "<r>";
  while (doc.size() < (3u << 20)) {
    doc += unit;
  }
  doc += "</r>";
  ExpectSameAsExpat(doc, "large document");
}

// Positions count every line feed, whatever the length of the lines and however text is
// scanned (16 bytes at a time where it is plain): the error after long and short lines of
// text, some with characters that need a look, names its line and column.
TEST(XmlReader, ErrorPositionsCountTheLinesOfLongText) {
  for (size_t width : {0, 1, 7, 15, 16, 17, 31, 33, 100}) {
    for (const char* filler : {"x", "\xC3\xA9", "&amp;"}) {
      std::string doc = "<r>";
      size_t line = 1;
      size_t column = 4;
      for (int l = 0; l < 9; ++l) {
        std::string text;
        while (text.size() < width + static_cast<size_t>(l)) {
          text += (text.size() % 13 == 5) ? std::string(filler) : "y";
        }
        doc += text + "\n";
        ++line;
        column = 1;
      }
      std::string tail(width, 'z');
      doc += tail + "\x01</r>";
      column += tail.size();
      Outcome got = WithVigil(doc);
      ASSERT_FALSE(got.ok);
      std::string want = "doc:" + std::to_string(line) + ":" + std::to_string(column) + ":";
      EXPECT_EQ(got.error.rfind(want, 0), 0u) << width << " " << filler << ": " << got.error;
    }
  }
}

TEST(XmlReader, SameEventsAsExpatOnEveryTestFile) {
  std::vector<fs::path> dirs = {fs::path(VIGIL_TESTDATA_DIR) / "nessus"};
  if (const char* corpus = std::getenv("VIGIL_CORPUS"); corpus != nullptr && *corpus != '\0') {
    dirs.push_back(fs::path(corpus));
  }
  int files = 0;
  for (const auto& dir : dirs) {
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      std::string ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".xml" && ext != ".nessus")) {
        continue;
      }
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      ExpectSameAsExpat(content.str(), e.path().string());
      ++files;
    }
  }
  EXPECT_GT(files, 5);
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// Deterministic mutations of real documents: vigil's reader must never crash, never accept
// what expat refuses, and never read an accepted document differently.
TEST(XmlReader, MutatedDocumentsNeverReadDifferentlyFromExpat) {
  std::vector<std::string> seeds;
  for (const auto& e : fs::directory_iterator(fs::path(VIGIL_TESTDATA_DIR) / "nessus")) {
    if (e.path().extension() == ".nessus") {
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream content;
      content << in.rdbuf();
      seeds.push_back(content.str().substr(0, 6000));
    }
  }
  ASSERT_FALSE(seeds.empty());
  const std::vector<std::string> inserts = {
      "<",          ">",    "&",    "&amp;", "&#x0;",        "&#65;",        "]]>",
      "<![CDATA[",  "\r",   "\r\n", "\x80",  "\xC3",         "\xEF\xBB\xBF", "\"",
      "'",          "=",    "/>",   "</a>",  "<a>",          "<!--",         "-->",
      "<?x ?>",     "\x01", " ",    "\t",    "<!DOCTYPE a>", "&#xFFFE;",     "<!-- \x02 -->",
      "<?pi \xC3?>"};
  // VIGIL_MUTATION_SEED and VIGIL_MUTATION_ROUNDS explore further than the CI default.
  const char* seed_env = std::getenv("VIGIL_MUTATION_SEED");
  const char* rounds_env = std::getenv("VIGIL_MUTATION_ROUNDS");
  uint64_t state = seed_env != nullptr ? std::strtoull(seed_env, nullptr, 10) * 2654435761ULL + 1
                                       : 0x9E3779B97F4A7C15ULL;
  int rounds = rounds_env != nullptr ? std::atoi(rounds_env) : 6000;
  auto next = [&](uint64_t bound) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return bound == 0 ? 0 : state % bound;
  };
  int accepted = 0;
  for (int round = 0; round < rounds; ++round) {
    std::string doc = seeds[next(seeds.size())];
    int edits = 1 + static_cast<int>(next(3));
    for (int k = 0; k < edits && !doc.empty(); ++k) {
      size_t at = next(doc.size());
      switch (next(4)) {
        case 0:
          doc.insert(at, inserts[next(inserts.size())]);
          break;
        case 1:
          doc.erase(at, 1 + next(8));
          break;
        case 2:
          doc[at] = static_cast<char>(next(256));
          break;
        default:
          doc.resize(at);
          break;
      }
    }
    if (const char* dump = std::getenv("VIGIL_DUMP_ROUND");
        dump != nullptr && std::atoi(dump) == round) {
      std::ofstream("/tmp/round.xml", std::ios::binary) << doc;
    }
    Outcome mine = WithVigil(doc);
    Outcome oracle = WithExpat(doc);
    if (mine.ok) {
      ++accepted;
      // "]]>" in text is the one thing vigil reads and expat refuses.
      bool known_leniency = doc.find("]]>") != std::string::npos;
      EXPECT_TRUE(oracle.ok || known_leniency)
          << "vigil accepted what expat refuses (" << oracle.error << ") in round " << round;
      if (oracle.ok) {
        EXPECT_EQ(mine.transcript, oracle.transcript) << "round " << round;
      }
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations are not all fatal
}

}  // namespace
}  // namespace vigil
