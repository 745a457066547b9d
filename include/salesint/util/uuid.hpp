// UUIDs as the state file stores them: lowercase, 8-4-4-4-12.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace salesint {

// A random (version 4) UUID from the kernel's random source.
std::string new_uuid_v4();

// The canonical lowercase form of a UUID, or nullopt if text is not one.
std::optional<std::string> normalize_uuid(std::string_view text);

}  // namespace salesint
