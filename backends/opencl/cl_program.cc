// Building an OpenCL program from source for one device, with the build log in the error.
#include "cl_program.h"

#include <fmt/format.h>

#include "squarebench/backend.h"

namespace sqb::opencl {
namespace {

std::string BuildLog(cl_program program, cl_device_id device) {
  std::size_t size = 0;
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) !=
          CL_SUCCESS ||
      size == 0)
    return "";
  std::string log(size, '\0');
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr) !=
      CL_SUCCESS)
    return "";
  return log;
}

}  // namespace

std::string FlattenLog(std::string_view text, std::size_t max_chars) {
  // Control characters (tabs, carriage returns, the log's terminating NUL) count as blanks.
  std::string spaced(text);
  for (char& c : spaced)
    if (c != '\n' && static_cast<unsigned char>(c) < 0x20) c = ' ';
  std::string_view log = spaced;
  std::string flat;
  while (!log.empty()) {
    const std::size_t end = log.find('\n');
    std::string_view line = log.substr(0, end);
    log = end == std::string_view::npos ? std::string_view() : log.substr(end + 1);
    const std::size_t first = line.find_first_not_of(' ');
    if (first == std::string_view::npos) continue;
    line = line.substr(first, line.find_last_not_of(' ') - first + 1);
    if (!flat.empty()) flat += " | ";
    flat += line;
  }
  constexpr std::string_view kCut = "...";
  if (flat.size() > max_chars)
    flat =
        flat.substr(0, max_chars > kCut.size() ? max_chars - kCut.size() : 0) + std::string(kCut);
  return flat;
}

Program BuildProgram(cl_context context, cl_device_id device,
                     const std::vector<std::string_view>& sources, const std::string& options) {
  std::vector<const char*> texts;
  std::vector<std::size_t> lengths;
  for (std::string_view s : sources) {
    texts.push_back(s.data());
    lengths.push_back(s.size());
  }
  cl_int status = CL_SUCCESS;
  Program program(clCreateProgramWithSource(context, static_cast<cl_uint>(texts.size()),
                                            texts.data(), lengths.data(), &status));
  Check(status, "clCreateProgramWithSource");
  status = clBuildProgram(program.get(), 1, &device, options.c_str(), nullptr, nullptr);
  if (status != CL_SUCCESS) {
    const std::string log = FlattenLog(BuildLog(program.get(), device));
    throw CellError(fmt::format("OpenCL program build failed: {} ({}): {}", ErrorName(status),
                                status, log.empty() ? "no build log" : log));
  }
  return program;
}

}  // namespace sqb::opencl
