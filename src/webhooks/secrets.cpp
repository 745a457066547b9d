#include "salesint/webhooks/secrets.hpp"

#include <cstdlib>

#include "salesint/errors.hpp"
#include "salesint/util/files.hpp"
#include "salesint/util/strings.hpp"

namespace salesint::webhooks {
namespace {

// A secret file larger than this is a mistake (a key is a few dozen bytes).
constexpr std::size_t kMaxSecretBytes = 64 * 1024;

}  // namespace

LoadedSecrets load_secrets(const SecretSources& sources) {
    LoadedSecrets loaded;
    for (const auto& name : sources.env_vars) {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr || *value == '\0') {
            loaded.notes.push_back("env " + name + ": unset or empty, skipped");
            continue;
        }
        loaded.secrets.push_back({value, "env " + name});
    }
    for (const auto& path : sources.files) {
        std::string value = read_input(path, kMaxSecretBytes);
        if (ends_with(value, "\r\n")) {
            value.resize(value.size() - 2);
        } else if (ends_with(value, "\n")) {
            value.pop_back();
        }
        if (value.empty()) {
            loaded.notes.push_back("file " + path + ": empty, skipped");
            continue;
        }
        loaded.secrets.push_back({std::move(value), "file " + path});
    }
    for (std::size_t i = 0; i < sources.values.size(); ++i) {
        if (!sources.values[i].empty()) {
            loaded.secrets.push_back({sources.values[i], "value #" + std::to_string(i + 1)});
        }
    }
    return loaded;
}

}  // namespace salesint::webhooks
