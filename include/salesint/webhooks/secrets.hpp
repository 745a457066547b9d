// Where webhook secrets come from: an environment variable, a file, or a value
// given as it is (local tries only: on a command line it shows in the process
// list). A secret's value is never printed, logged or stored; only its source
// is named ("env PYXIS_SECRET", "file /run/secrets/x", "value #1").
#pragma once

#include <string>
#include <vector>

#include "salesint/webhooks/scheme.hpp"

namespace salesint::webhooks {

struct SecretSources {
    std::vector<std::string> env_vars;
    std::vector<std::string> files;
    std::vector<std::string> values;

    bool empty() const { return env_vars.empty() && files.empty() && values.empty(); }
};

struct LoadedSecrets {
    std::vector<Secret> secrets;     // in the order env, file, value
    std::vector<std::string> notes;  // sources that gave nothing
};

// Reads every source. A variable that is unset or empty, a file that cannot be
// read or is empty, is a usage Error naming it (`environment variable NOPE is
// not set`); an empty value is skipped with a note. A file's one trailing
// newline is dropped (files written with echo end with one).
LoadedSecrets load_secrets(const SecretSources& sources);

}  // namespace salesint::webhooks
