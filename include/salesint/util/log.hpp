// Logging to stderr. The logger is built on first use, never at start-up, so
// commands that log nothing pay nothing for it.
#pragma once

#include <string_view>

namespace salesint::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
enum class Format { kText, kJson };

// Sets level and format; cheap, does not build the logger.
void configure(Level level, Format format);

void debug(std::string_view message);
void info(std::string_view message);
void warn(std::string_view message);

}  // namespace salesint::log
