#include "salesint/model.hpp"

namespace salesint {

const char* to_string(MappingStatus status) {
    switch (status) {
        case MappingStatus::kActive:
            return "active";
        case MappingStatus::kPendingReview:
            return "pending_review";
        case MappingStatus::kRetired:
            return "retired";
    }
    return "pending_review";
}

std::optional<MappingStatus> parse_mapping_status(const std::string& text) {
    if (text == "active")
        return MappingStatus::kActive;
    if (text == "pending_review")
        return MappingStatus::kPendingReview;
    if (text == "retired")
        return MappingStatus::kRetired;
    return std::nullopt;
}

const char* to_string(CheckpointKind kind) {
    switch (kind) {
        case CheckpointKind::kInteger:
            return "integer";
        case CheckpointKind::kTimestamp:
            return "timestamp";
        case CheckpointKind::kString:
            return "string";
    }
    return "string";
}

std::optional<CheckpointKind> parse_checkpoint_kind(const std::string& text) {
    if (text == "integer")
        return CheckpointKind::kInteger;
    if (text == "timestamp")
        return CheckpointKind::kTimestamp;
    if (text == "string")
        return CheckpointKind::kString;
    return std::nullopt;
}

const char* to_string(BreakerState state) {
    switch (state) {
        case BreakerState::kClosed:
            return "closed";
        case BreakerState::kOpen:
            return "open";
        case BreakerState::kHalfOpen:
            return "half_open";
    }
    return "closed";
}

BreakerState parse_breaker_state(const std::string& text) {
    if (text == "open") {
        return BreakerState::kOpen;
    }
    if (text == "half_open") {
        return BreakerState::kHalfOpen;
    }
    return BreakerState::kClosed;
}

}  // namespace salesint
