// Drawing a saved report with tools/plot.py (Python and matplotlib), when they are there.
#pragma once

#include <string>
#include <vector>

namespace sqb {

struct PlotResult {
  std::vector<std::string> images;  // the files written, as plot.py listed them
  std::string error;                // "" on success, else one line saying why (and how to fix)
  bool failed = false;  // the script ran and failed (e.g. could not write an image), as opposed to
                        // no plotting here (no Python or matplotlib)
};

// Runs `python3 <source>/tools/plot.py report_json` and waits for it.
PlotResult PlotReport(const std::string& report_json);

}  // namespace sqb
