import Dispatch
import Foundation
import VitalsCollectors

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGTERM and SIGINT end the programs vitals runs (git) before vitals itself, which then dies of the same signal as
/// it would have without the handler. The store needs no cleanup: SQLite rolls back an unfinished write.
enum StopSignals {
    /// The handlers' sources, kept alive for the life of the process.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        unblock()
        for number in [SIGTERM, SIGINT] {
            // Ignored so that the dispatch source, not the default action, sees the signal.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                ChildProcesses.endAll(within: .seconds(5))
                signal(number, SIG_DFL)
                var only = sigset_t()
                sigemptyset(&only)
                sigaddset(&only, number)
                pthread_sigmask(SIG_UNBLOCK, &only, nil)
                raise(number)
                // Not reached: the signal, now unblocked on this thread with its default action, ends the process.
                _exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// A parent can start vitals with the signals blocked (the spawning thread's mask is inherited); unblocked here, on
    /// the main thread, they reach the handler (this one, or the daemon's graceful shutdown).
    static func unblock() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for number in [SIGTERM, SIGINT] { sigaddset(&signals, number) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }
}
