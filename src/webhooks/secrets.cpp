#include "salesint/webhooks/secrets.hpp"

#include <cstdlib>
#include <filesystem>

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
        // A named source that gives nothing is a mistake to say at once, not
        // a verdict about the signature (docs/contracts.md, exit codes).
        if (value == nullptr) {
            throw usage_error("environment variable " + name + " is not set");
        }
        if (*value == '\0') {
            throw usage_error("environment variable " + name + " is empty");
        }
        loaded.secrets.push_back({value, "env " + name});
    }
    for (const auto& path : sources.files) {
        std::error_code error;
        if (path != "-" && !std::filesystem::exists(path, error) && !error) {
            throw usage_error("secret file " + path + " does not exist");
        }
        std::string value = read_input(path, kMaxSecretBytes);
        if (ends_with(value, "\r\n")) {
            value.resize(value.size() - 2);
        } else if (ends_with(value, "\n")) {
            value.pop_back();
        }
        if (value.empty()) {
            throw usage_error("secret file " + display_name(path) + " is empty");
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
