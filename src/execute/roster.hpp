// The technician roster that slot availability searches: who has which
// skills, works which days and hours, and starts from where.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace salesint::execute {

struct Technician {
    std::string id;
    std::string name;
    std::vector<std::string> skills;
    double latitude = 0;
    double longitude = 0;
    std::vector<std::string> working_days;  // MON..SUN
    int start_minute = 8 * 60;              // working hours, minutes since midnight (UTC)
    int end_minute = 17 * 60;
};

struct Roster {
    double speed_kmh = 40;         // an urban average, travel included
    int max_travel_minutes = 120;  // farther technicians are not offered
    int slot_granularity_minutes = 15;
    std::vector<Technician> technicians;
};

// Parses a roster document; errors are usage Errors naming source and pointer.
Roster parse_roster(std::string_view text, const std::string& source);

// Great-circle (haversine) distance in km, on a sphere of radius 6371 km.
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

}  // namespace salesint::execute
