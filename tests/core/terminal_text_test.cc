// Text from input files on a terminal (issue 13: error lines quoted raw bytes of the file).
#include "core/terminal_text.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

TEST(ForTerminal, EscapesControlCharactersAndInvalidUtf8) {
  EXPECT_EQ(ForTerminal("CVE-2024-1\x1b]0;owned\x07"), "CVE-2024-1\\x1b]0;owned\\x07");
  EXPECT_EQ(ForTerminal(std::string("a\0b\n\r\t\x7f", 7)), "a\\x00b\\x0a\\x0d\\x09\\x7f");
  EXPECT_EQ(ForTerminal("\xff\xfe#"), "\\xff\\xfe#");
  EXPECT_EQ(ForTerminal("\xc0\xaf"), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(ForTerminal("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // a surrogate
  EXPECT_EQ(ForTerminal("\xc2\x9b"
                        "2J"),
            "\\xc2\\x9b2J");                             // C1 CSI
  EXPECT_EQ(ForTerminal("ab\xe2\x82"), "ab\\xe2\\x82");  // cut short
}

TEST(ForTerminal, KeepsPrintableUtf8) {
  EXPECT_EQ(ForTerminal("Müller – 東京 😀 \\x41"), "Müller – 東京 😀 \\x41");
  EXPECT_EQ(ForTerminal(""), "");
}

}  // namespace
}  // namespace vigil
