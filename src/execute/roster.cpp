#include "roster.hpp"

#include <cmath>

#include "field_checks.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/errors.hpp"
#include "salesint/util/json_text.hpp"

namespace salesint::execute {

using contracts::parse_hhmm;

Roster parse_roster(std::string_view text, const std::string& source) {
    const Json document = parse_json_text(std::string(text), source);
    FieldChecks checks(document);
    Roster roster;
    if (const Json* speed = checks.number("/speedKmh", false)) {
        roster.speed_kmh = speed->get<double>();
        if (roster.speed_kmh <= 0) {
            checks.fail("/speedKmh", "must be above 0");
        }
    }
    if (const Json* limit = checks.number("/maxTravelMinutes", false)) {
        roster.max_travel_minutes = limit->get<int>();
    }
    if (const Json* technicians = checks.array("/technicians")) {
        for (std::size_t i = 0; i < technicians->size(); ++i) {
            const std::string at = "/technicians/" + std::to_string(i);
            Technician technician;
            const std::string* id = checks.text(at + "/technicianId");
            const std::string* name = checks.text(at + "/name");
            const Json* skills = checks.array(at + "/skills");
            const Json* latitude = checks.number(at + "/home/latitude");
            const Json* longitude = checks.number(at + "/home/longitude");
            const Json* days = checks.array(at + "/workingDays");
            const std::string* start = checks.text(at + "/workingHours/start");
            const std::string* end = checks.text(at + "/workingHours/end");
            if (!id || !name || !skills || !latitude || !longitude || !days || !start || !end) {
                continue;
            }
            technician.id = *id;
            technician.name = *name;
            for (const Json& skill : *skills) {
                technician.skills.push_back(skill.is_string() ? skill.get<std::string>() : "");
            }
            technician.latitude = latitude->get<double>();
            technician.longitude = longitude->get<double>();
            for (const Json& day : *days) {
                technician.working_days.push_back(day.is_string() ? day.get<std::string>() : "");
            }
            auto start_minute = parse_hhmm(*start);
            auto end_minute = parse_hhmm(*end);
            if (!start_minute || !end_minute || *start_minute >= *end_minute) {
                checks.fail(at + "/workingHours", "must be HH:mm times with start before end");
                continue;
            }
            technician.start_minute = *start_minute;
            technician.end_minute = *end_minute;
            roster.technicians.push_back(std::move(technician));
        }
    }
    if (auto failure = checks.failure("INVALID_ROSTER", "")) {
        const FieldError& first = failure->details.front();
        throw usage_error(source + ": " + first.pointer + ": " + first.message);
    }
    return roster;
}

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
    constexpr double kEarthRadiusKm = 6371.0;
    constexpr double kRadiansPerDegree = M_PI / 180.0;
    const double d_lat = (lat2 - lat1) * kRadiansPerDegree;
    const double d_lon = (lon2 - lon1) * kRadiansPerDegree;
    const double a = std::sin(d_lat / 2) * std::sin(d_lat / 2) +
                     std::cos(lat1 * kRadiansPerDegree) * std::cos(lat2 * kRadiansPerDegree) *
                         std::sin(d_lon / 2) * std::sin(d_lon / 2);
    return kEarthRadiusKm * 2 * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

}  // namespace salesint::execute
