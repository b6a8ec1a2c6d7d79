// Reads the configuration file (TOML, docs/config.md) into a Config. The file is untrusted
// input: every problem — a syntax error, an unknown section or key (a typo in a compliance
// setting must not pass silently), a value of the wrong type, a bad duration, network or
// scanner kind — is refused with FILE:LINE:COL and nothing is applied.
#pragma once

#include <string>
#include <string_view>

#include "core/config.h"
#include "core/status.h"

namespace vigil {

// Reads and validates the file at `path` (a regular file of at most 4 MiB).
Result<Config> LoadConfigFile(const std::string& path);

// The same, keeping the file's text (what `vigil config apply` records).
struct ConfigFile {
  Config config;
  std::string text;
};
Result<ConfigFile> ReadConfigFile(const std::string& path);

// The same for text already in memory; `path` names it in messages.
Result<Config> ParseConfig(std::string_view text, const std::string& path);

}  // namespace vigil
