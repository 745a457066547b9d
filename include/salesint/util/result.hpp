// A value, or the reason there is none: what a core function returns when
// "no" is an ordinary answer that its caller looks at (a header that is
// missing, a secret that cannot be a key). A failure that one line explains
// to the user is thrown as an Error instead (ARCHITECTURE.md).
#pragma once

#include <type_traits>
#include <utility>
#include <variant>

namespace salesint {

// The failure side, spelled out where value and reason have the same type:
// `return Failed{std::string("not base64")};`.
template <class E>
struct Failed {
    E reason;
};

template <class T, class E>
class [[nodiscard]] Result {
  public:
    Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    Result(Failed<E> failure) : state_(std::in_place_index<1>, std::move(failure.reason)) {}
    // A reason of its own type needs no Failed{} when it cannot be taken for a value.
    Result(E reason) requires(!std::is_same_v<T, E>)
        : state_(std::in_place_index<1>, std::move(reason)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Only when ok().
    T& value() { return std::get<0>(state_); }
    const T& value() const { return std::get<0>(state_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    // Only when !ok().
    const E& reason() const { return std::get<1>(state_); }

  private:
    std::variant<T, E> state_;
};

}  // namespace salesint
