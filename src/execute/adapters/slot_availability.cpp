// fsm.slot.availability.v1: the appointment slots a sales system may offer,
// computed from the technician roster (docs/contracts.md, "Slot availability").
//
// For each day of the range (both ends included) and each technician with
// every required skill who works that day: travel time is the great-circle
// distance from the technician's home at the roster's speed (40 km/h by
// default), rounded up to a minute. The first slot starts once the technician
// can have arrived (working start + travel, rounded up to 15 minutes, and not
// before the requested time window); slots of estimatedDuration follow back
// to back until the working day or the time window ends. Times are UTC.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "adapters/adapters.hpp"
#include "input_contract.hpp"
#include "roster.hpp"
#include "salesint/contracts/formats.hpp"
#include "salesint/util/clock.hpp"

namespace salesint::execute {

using contracts::parse_hhmm;
namespace {

// At most this many slots in an answer unless the caller asks for another
// maximum; an answer cut short says so (truncated).
constexpr std::size_t kMaxSlotsReturned = 500;
constexpr const char* kWeekdays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

const char* weekday(std::int64_t days_since_epoch) {
    return kWeekdays[((days_since_epoch % 7) + 7 + 4) % 7];  // 1970-01-01 was a Thursday
}

std::string clock_time(std::int64_t day, int minute) {
    char text[40];
    std::snprintf(text, sizeof text, "T%02d:%02d:00Z", minute / 60, minute % 60);
    return format_iso_date(day) + text;
}

const char* slot_type(int start_minute, int duration) {
    if (duration >= 8 * 60) {
        return "FULL_DAY";
    }
    if (start_minute < 12 * 60) {
        return "MORNING";
    }
    return start_minute < 17 * 60 ? "AFTERNOON" : "EVENING";
}

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

struct Slot {
    std::int64_t day;
    int start;
    int travel;
    const Technician* technician;
    int capacity;
};

class SlotAvailability final : public Adapter {
  public:
    const AdapterInfo& info() const override {
        static const AdapterInfo kInfo{
            "fsm.slot.availability.v1",
            "1.0.0",
            "Find appointment slots from the technician roster",
            "slots from the roster (the one given, or the built-in fixtures/execute/roster.json): "
            "technicians with every required skill, travel time from great-circle distance at "
            "the roster's speedKmh (default 40), slots back to back from arrival, UTC",
            "POSTs the request as JSON to the connector's base_url (default FSM); the response "
            "object is the output",
            {
                {"/serviceAddress/latitude", "number (-90..90)", true, ""},
                {"/serviceAddress/longitude", "number (-180..180)", true, ""},
                {"/serviceType", "string", true, ""},
                {"/estimatedDuration", "number > 0 (minutes)", true, ""},
                {"/dateRange/startDate", "date (YYYY-MM-DD)", true, "before endDate"},
                {"/dateRange/endDate", "date (YYYY-MM-DD)", true,
                 "at most 90 days after startDate"},
                {"/requiredSkills", "array of strings", false, "a technician needs all of them"},
                {"/technicianPreference", "string", false, "only this technician's slots"},
                {"/filters/timeWindow", "object {start, end} (HH:mm)", false, "slots inside it"},
                {"/filters/excludeDates", "array of dates", false, ""},
                {"/filters/preferredDays", "array of MON..SUN", false, "only these weekdays"},
            },
            {
                {"INVALID_REQUEST", "the request breaks the contract (one detail per field)",
                 false},
                {"SKILLS_NOT_AVAILABLE", "no technician has every required skill", false},
                {"NO_SLOTS_AVAILABLE", "no slot matches the request", false},
                {"INVALID_ADDRESS", "live: the FSM cannot geocode the service address", false},
            },
            RetryPolicy{},
            200,
            "FSM",
            "fixtures/execute/slot-availability.json"};
        return kInfo;
    }

    std::optional<Failure> validate(const Json& input, std::string_view canonical) const override {
        return failure_of(contract_violations(input, canonical, "slot-availability-request"),
                          "INVALID_REQUEST", "Slot request validation failed");
    }

    bool uses_roster() const override { return true; }
    bool is_query() const override { return true; }

    Result run_deterministic(const Json& input, const RunContext& context) const override {
        const Roster& roster = roster_of(context.roster, context.roster_source);
        std::vector<std::string> skills;
        if (input.contains("requiredSkills")) {
            skills = input["requiredSkills"].get<std::vector<std::string>>();
        }
        std::vector<const Technician*> skilled;
        for (const Technician& technician : roster.technicians) {
            bool has_all = std::all_of(skills.begin(), skills.end(), [&](const std::string& s) {
                return contains(technician.skills, s);
            });
            bool preferred = !input.contains("technicianPreference") ||
                             input["technicianPreference"] == technician.id;
            if (has_all && preferred) {
                skilled.push_back(&technician);
            }
        }
        Result result;
        if (skilled.empty()) {
            result.failure = Failure{"SKILLS_NOT_AVAILABLE",
                                     "No technician has every required skill",
                                     {{"requiredSkills", "/requiredSkills",
                                       "no technician in the roster has all of them"}}};
            return result;
        }
        std::vector<Slot> slots = find_slots(input, roster, skilled);
        if (slots.empty()) {
            result.failure = Failure{"NO_SLOTS_AVAILABLE", "No available appointment slots", {}};
            return result;
        }
        const int duration = static_cast<int>(std::ceil(input["estimatedDuration"].get<double>()));
        OrderedJson available = OrderedJson::array();
        const std::size_t max_slots =
            context.max_slots > 0 ? static_cast<std::size_t>(context.max_slots) : kMaxSlotsReturned;
        for (std::size_t i = 0; i < slots.size() && i < max_slots; ++i) {
            const Slot& slot = slots[i];
            char start_text[24];
            std::snprintf(start_text, sizeof start_text, "%02d%02d", slot.start / 60,
                          slot.start % 60);
            std::string date = format_iso_date(slot.day);
            OrderedJson entry = OrderedJson::object();
            entry["slotId"] = "SLOT-" + date + "-" + slot.technician->id + "-" + start_text;
            entry["date"] = date;
            entry["timeWindow"] = {{"start", clock_time(slot.day, slot.start)},
                                   {"end", clock_time(slot.day, slot.start + duration)}};
            entry["slotType"] = slot_type(slot.start, duration);
            entry["technicianId"] = slot.technician->id;
            entry["technicianName"] = slot.technician->name;
            entry["travelTime"] = slot.travel;
            entry["capacityRemaining"] = slot.capacity;
            available.push_back(std::move(entry));
        }
        result.output = OrderedJson::object();
        result.output["availableSlots"] = std::move(available);
        result.output["totalSlotsFound"] = slots.size();
        result.output["truncated"] = slots.size() > max_slots;
        result.output["searchCriteria"] = OrderedJson::parse(context.canonical_input);
        return result;
    }

  private:
    static std::vector<Slot> find_slots(const Json& input, const Roster& roster,
                                        const std::vector<const Technician*>& technicians) {
        const double latitude = input["serviceAddress"]["latitude"].get<double>();
        const double longitude = input["serviceAddress"]["longitude"].get<double>();
        const int duration = static_cast<int>(std::ceil(input["estimatedDuration"].get<double>()));
        const std::int64_t first_day =
            *parse_iso_date(input["dateRange"]["startDate"].get<std::string>());
        const std::int64_t last_day =
            *parse_iso_date(input["dateRange"]["endDate"].get<std::string>());
        const Json filters = input.value("filters", Json::object());
        int window_start = 0;
        int window_end = 24 * 60;
        if (filters.contains("timeWindow")) {
            window_start = *parse_hhmm(filters["timeWindow"]["start"].get<std::string>());
            window_end = *parse_hhmm(filters["timeWindow"]["end"].get<std::string>());
        }
        std::vector<std::int64_t> excluded;
        for (const Json& date : filters.value("excludeDates", Json::array())) {
            excluded.push_back(*parse_iso_date(date.get<std::string>()));
        }
        const std::vector<std::string> preferred =
            filters.value("preferredDays", std::vector<std::string>{});
        const int step = roster.slot_granularity_minutes;

        std::vector<Slot> slots;
        for (std::int64_t day = first_day; day <= last_day; ++day) {
            if (contains_day(excluded, day) ||
                (!preferred.empty() && !contains(preferred, weekday(day)))) {
                continue;
            }
            for (const Technician* technician : technicians) {
                if (!contains(technician->working_days, weekday(day))) {
                    continue;
                }
                const double km = great_circle_km(technician->latitude, technician->longitude,
                                                  latitude, longitude);
                const int travel = static_cast<int>(std::ceil(km / roster.speed_kmh * 60));
                if (travel > roster.max_travel_minutes) {
                    continue;
                }
                int start = std::max(technician->start_minute + travel, window_start);
                start = (start + step - 1) / step * step;
                const int end = std::min(technician->end_minute, window_end);
                const int count = start + duration <= end ? (end - start) / duration : 0;
                for (int i = 0; i < count; ++i) {
                    slots.push_back({day, start + i * duration, travel, technician, count - i});
                }
            }
        }
        std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
            if (a.day != b.day) {
                return a.day < b.day;
            }
            if (a.start != b.start) {
                return a.start < b.start;
            }
            return a.travel < b.travel;
        });
        return slots;
    }

    static bool contains_day(const std::vector<std::int64_t>& days, std::int64_t day) {
        return std::find(days.begin(), days.end(), day) != days.end();
    }

    // The roster is parsed once per text, not once per input of a batch.
    const Roster& roster_of(std::string_view text, const std::string& source) const {
        std::lock_guard<std::mutex> lock(mutex_);
        if (roster_text_ != text) {
            roster_ = parse_roster(text, source);
            roster_text_ = std::string(text);
        }
        return roster_;
    }

    mutable std::mutex mutex_;
    mutable std::string roster_text_;
    mutable Roster roster_;
};

}  // namespace

const Adapter& slot_availability() {
    static const SlotAvailability kAdapter;
    return kAdapter;
}

}  // namespace salesint::execute
