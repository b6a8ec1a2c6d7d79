// The built-in clock profiles a CA switches on by name (docs/policy.md has each rule and its
// source clause): ncssr-1.7, ncssr-2, etsi-319-401, pci-dss-4.0.1, fedramp-rev5, cisa-kev.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/policy.h"

namespace vigil {

// The rules of a profile, or nullopt for an unknown name.
std::optional<std::vector<ClockRule>> BuiltinProfile(std::string_view name);

// Every profile name, for messages.
std::vector<std::string> BuiltinProfileNames();

}  // namespace vigil
