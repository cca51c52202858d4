// Waiting out other runtimes' spinning workers before a timed sample.
#pragma once

namespace sqb {

// Blocks until the process's threads other than the caller have used under 10% of a core over a
// 1 ms window (libgomp's idle workers spin for milliseconds after a region; TBB's linger), so the
// next backend's sample does not share its cores with them. Returns false if that took longer
// than max_wait_s (the sample is then flagged).
bool WaitUntilOtherThreadsIdle(double max_wait_s);

}  // namespace sqb
