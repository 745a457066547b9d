#include "salesint/util/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "salesint/util/strings.hpp"

namespace salesint::log {
namespace {

Level g_level = Level::kWarn;
Format g_format = Format::kText;

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
        case Level::kDebug:
            return spdlog::level::debug;
        case Level::kInfo:
            return spdlog::level::info;
        case Level::kWarn:
            return spdlog::level::warn;
        case Level::kError:
            return spdlog::level::err;
        case Level::kOff:
            break;
    }
    return spdlog::level::off;
}

// Built on first use: most commands never log, and start-up stays cheap.
spdlog::logger& logger() {
    static std::shared_ptr<spdlog::logger> instance = [] {
        // Thread-safe: `webhook serve` logs from each of its workers.
        auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        auto created = std::make_shared<spdlog::logger>("salesint", sink);
        created->set_level(to_spdlog(g_level));
        if (g_format == Format::kJson) {
            created->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":%v})",
                                 spdlog::pattern_time_type::utc);
        } else {
            created->set_pattern("salesint: %l: %v");
        }
        return created;
    }();
    return *instance;
}

bool enabled(Level level) {
    return g_level != Level::kOff && level >= g_level;
}

void emit(Level level, std::string_view message) {
    if (!enabled(level)) {
        return;
    }
    // In JSON format the message is the value of "message": quote and escape
    // it. In text, control characters are shown escaped rather than sent to
    // the terminal: messages may carry what a client or a file said.
    std::string text = g_format == Format::kJson
                           ? nlohmann::json(std::string(message))
                                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                           : escape_control(message);
    logger().log(to_spdlog(level), text);
}

}  // namespace

void configure(Level level, Format format) {
    g_level = level;
    g_format = format;
}

void debug(std::string_view message) {
    emit(Level::kDebug, message);
}
void info(std::string_view message) {
    emit(Level::kInfo, message);
}
void warn(std::string_view message) {
    emit(Level::kWarn, message);
}

}  // namespace salesint::log
