// A list of names computed on first use: device backends enumerate devices only when a command
// needs them, never before main and never for --help, compare or a run of CPU backends.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace sqb {

class LazyList {
 public:
  LazyList() : LazyList(std::vector<std::string>{}) {}
  LazyList(std::initializer_list<std::string> items) : LazyList(std::vector<std::string>(items)) {}
  LazyList(std::vector<std::string> items) : state_(std::make_shared<State>()) {  // NOLINT
    state_->items = std::move(items);
    std::call_once(state_->once, [] {});
  }
  // `make` runs once, on the first get(), by whichever copy of this list asks first.
  explicit LazyList(std::function<std::vector<std::string>()> make)
      : state_(std::make_shared<State>()) {
    state_->make = std::move(make);
  }

  const std::vector<std::string>& get() const {
    std::call_once(state_->once, [this] { state_->items = state_->make(); });
    return state_->items;
  }
  bool empty() const { return get().empty(); }
  std::size_t size() const { return get().size(); }
  const std::string& front() const { return get().front(); }
  auto begin() const { return get().begin(); }
  auto end() const { return get().end(); }

 private:
  struct State {
    std::once_flag once;
    std::function<std::vector<std::string>()> make;
    std::vector<std::string> items;
  };
  std::shared_ptr<State> state_;  // shared by copies, so the registry's copies enumerate once
};

}  // namespace sqb
