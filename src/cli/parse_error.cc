#include "cli/parse_error.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <vector>

#include "core/text.h"

namespace vigil::cli {
namespace {

// The parsed command chain: the root, then each subcommand the command line selected.
std::vector<const CLI::App*> Chain(const CLI::App& root) {
  std::vector<const CLI::App*> chain = {&root};
  while (true) {
    std::vector<CLI::App*> parsed = chain.back()->get_subcommands();
    if (parsed.empty()) {
      return chain;
    }
    chain.push_back(parsed.front());
  }
}

// "vigil scanner set"
std::string CommandName(const std::vector<const CLI::App*>& chain) {
  std::string out = "vigil";
  for (size_t i = 1; i < chain.size(); ++i) {
    out += " " + chain[i]->get_name();
  }
  return out;
}

std::string SeeHelp(const std::vector<const CLI::App*>& chain) {
  return "see '" + CommandName(chain) + " --help'";
}

std::vector<std::string> SubcommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// Every option valid at the end of the chain, without dashes: global options may follow the
// command (fallthrough).
std::vector<std::string> OptionNames(const std::vector<const CLI::App*>& chain) {
  std::vector<std::string> names;
  for (const CLI::App* app : chain) {
    for (const CLI::Option* opt : app->get_options()) {
      for (const auto& n : opt->get_lnames()) {
        names.push_back(n);
      }
    }
  }
  return names;
}

std::string UnknownOption(const std::vector<const CLI::App*>& chain, const std::string& word) {
  std::string name = word.substr(0, word.find('='));
  std::string bare = name.substr(std::min(name.find_first_not_of('-'), name.size()));
  auto nearest = NearestWord(bare, OptionNames(chain));
  if (nearest && *nearest == bare) {
    // The option exists, but a command's option was written before the command's name
    // ("vigil --format json vulns"): only global options may go there.
    for (size_t i = chain.size(); i-- > 1;) {
      std::vector<const CLI::App*> upto(chain.begin(),
                                        chain.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      for (const CLI::Option* opt : chain[i]->get_options()) {
        for (const auto& n : opt->get_lnames()) {
          if (n == bare) {
            return "option '" + name + "' belongs to '" + CommandName(upto) +
                   "': write it after the command's name; " + SeeHelp(upto);
          }
        }
      }
    }
  }
  return "unknown option '" + name + "'" +
         (nearest ? "; did you mean '--" + *nearest + "'?" : "; " + SeeHelp(chain));
}

std::string UnknownWord(const std::vector<const CLI::App*>& chain, const std::string& word) {
  const CLI::App& last = *chain.back();
  std::vector<std::string> commands = SubcommandNames(last);
  if (commands.empty()) {
    return "unexpected argument '" + word + "'; " + SeeHelp(chain);
  }
  // The words before it, as typed after "vigil" ("scanner " of "scanner sett").
  std::string prefix;
  for (size_t i = 1; i < chain.size(); ++i) {
    prefix += chain[i]->get_name() + " ";
  }
  auto nearest = NearestWord(word, commands);
  return "unknown command '" + prefix + word + "'" +
         (nearest ? "; did you mean '" + prefix + *nearest + "'?" : "; " + SeeHelp(chain));
}

// The first required option or argument of the chain that was not given.
const CLI::Option* MissingRequired(const std::vector<const CLI::App*>& chain) {
  for (const CLI::App* app : chain) {
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_required() && opt->count() == 0) {
        return opt;
      }
    }
  }
  return nullptr;
}

std::string Required(const std::vector<const CLI::App*>& chain) {
  const CLI::App& last = *chain.back();
  if (last.get_require_subcommand_min() > 0 && last.get_subcommands().empty()) {
    if (chain.size() == 1) {
      return "no command given; see 'vigil --help'";
    }
    return "'" + CommandName(chain) + "' needs one of: " + Join(SubcommandNames(last), ", ");
  }
  if (const CLI::Option* opt = MissingRequired(chain)) {
    std::string what =
        opt->get_positional() ? "the argument " + AsciiUpper(opt->get_name()) : opt->get_name();
    return "'" + CommandName(chain) + "' needs " + what + "; " + SeeHelp(chain);
  }
  return "a required option is missing; " + SeeHelp(chain);
}

// CLI11 names the option first: "--db: 1 required TEXT missing".
std::string Mismatch(const std::vector<const CLI::App*>& chain, const std::string& what) {
  std::string name = what.substr(0, what.find(':'));
  if (name.rfind('-', 0) == 0) {
    return "option " + name + " needs a value; " + SeeHelp(chain);
  }
  return what;
}

// CLI11 says "Could not convert: NAME = VALUE".
std::string Conversion(const std::vector<const CLI::App*>& chain, const std::string& what) {
  constexpr std::string_view kLead = "Could not convert: ";
  size_t eq = what.find(" = ");
  if (what.rfind(kLead, 0) != 0 || eq == std::string::npos) {
    return what;
  }
  std::string name = what.substr(kLead.size(), eq - kLead.size());
  std::string value = what.substr(eq + 3);
  const CLI::Option* opt = nullptr;
  for (auto app = chain.rbegin(); app != chain.rend() && opt == nullptr; ++app) {
    opt = (*app)->get_option_no_throw(name);
  }
  bool whole = opt != nullptr && opt->get_type_name() == "INT";
  std::string label = opt != nullptr && opt->get_positional() ? AsciiUpper(name) : name;
  return label + ": '" + value + "' is not " + (whole ? "a whole number" : "a valid value") + "; " +
         SeeHelp(chain);
}

}  // namespace

std::string DescribeParseError(const CLI::App& root, const CLI::ParseError& error) {
  std::vector<const CLI::App*> chain = Chain(root);
  // Words nobody took: the first one is named, whatever CLI11 complained about first.
  for (const auto& word : root.remaining(true)) {
    if (word == "--" || word.empty()) {
      continue;
    }
    return word[0] == '-' && word.size() > 1 ? UnknownOption(chain, word)
                                             : UnknownWord(chain, word);
  }
  std::string what = TrimSpace(error.what()).empty() ? error.get_name() : error.what();
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    return Required(chain);
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    return Mismatch(chain, what);
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    return Conversion(chain, what);
  }
  return what + "; " + SeeHelp(chain);
}

}  // namespace vigil::cli
