import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The programs this process is running (``Command``), so that when vitals is told to stop (SIGTERM, SIGINT) it ends
/// them too instead of leaving a long `git log` running without its reader.
public enum ChildProcesses {
    private struct State {
        var running: Set<Int32> = []
        /// Set once ``endAll(within:)`` has run: no program starts after that.
        var ending = false
    }

    private static let state = Mutex(State())
    /// Entered for every running program, left once it has exited and been reaped.
    private static let exits = DispatchGroup()

    /// Starts `process` and records it until ``finished(_:)``; false, without starting it, once vitals is stopping.
    /// Starting and recording happen under one lock, so a concurrent ``endAll(within:)`` either sees and ends the program
    /// or comes first and keeps it from starting: none can start while vitals exits and outlive it.
    static func start(_ process: Process) throws -> Bool {
        try state.withLock { state in
            guard !state.ending else { return false }
            try process.run()
            exits.enter()
            state.running.insert(process.processIdentifier)
            return true
        }
    }

    /// Forgets a program that has exited and been reaped.
    static func finished(_ process: Process) {
        state.withLock { state in
            guard state.running.remove(process.processIdentifier) != nil else { return }
            exits.leave()
        }
    }

    /// Kills every running program with what it started (``killGroup(of:)``) and waits, at most `timeout`, until each
    /// has exited and been reaped, so none outlives this process; the programs run are readers, with nothing to clean up.
    public static func endAll(within timeout: Duration) {
        state.withLock { state in
            state.ending = true
            for pid in state.running { killGroup(of: pid) }
        }
        let nanoseconds = timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000
        _ = exits.wait(timeout: .now() + .nanoseconds(Int(nanoseconds)))
    }

    /// Kills a program and whatever it started (`sh -c "sleep 60; …"` leaves its `sleep` behind otherwise): SIGKILL to the
    /// process group the program leads, as Foundation starts each program in a group of its own, else to the program.
    /// SIGKILL rather than SIGTERM: children inherit the spawning thread's signal mask, which under Swift concurrency can
    /// block SIGTERM and SIGINT.
    static func killGroup(of pid: Int32) {
        if kill(-pid, SIGKILL) != 0 { kill(pid, SIGKILL) }
    }
}
