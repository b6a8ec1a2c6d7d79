// Command-line errors in vigil's own words. CLI11 finds what is wrong with the command line;
// this names it the way every other vigil error is named, with the nearest command or option
// when a word is unknown ("unknown command 'vulsn'; did you mean 'vulns'?").
#pragma once

#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace vigil::cli {

// The message for `error`, raised while `root` parsed the command line, without the
// "vigil: error: " prefix. Not for help or version requests (CLI::Success).
std::string DescribeParseError(const CLI::App& root, const CLI::ParseError& error);

}  // namespace vigil::cli
