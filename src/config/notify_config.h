// The [notify] section of the configuration file (docs/notifications.md): the SMTP server,
// webhook signing, daily digests, alerts and Jira.
#pragma once

#include <string>

#include "config/toml_fields.h"
#include "core/config.h"

namespace vigil::config {

// Reads [notify] from the top table into `config.notify`, checking what it names against
// the rest of `config` (the classification scale), so read it after [classification].
Status ReadNotify(Fields& top, const std::string& path, Config& config);

}  // namespace vigil::config
