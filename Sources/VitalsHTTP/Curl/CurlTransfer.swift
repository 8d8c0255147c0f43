internal import CCurl
import Foundation
import Synchronization

/// What every libcurl transfer here shares, HTTP or SMTP: one easy handle per transfer, performed by the process's one
/// ``CurlMulti`` thread, so that a transfer never occupies Swift's cooperative pool and no transfer starts a thread of its
/// own; timeouts; an error buffer; and cancellation, which takes the transfer off the multi handle when the waiting task
/// is cancelled.
///
/// The transfer owns what libcurl points at while it runs (the handle, the error buffer, header lists): they are freed
/// when it ends, after libcurl let go of them.
class CurlTransfer: @unchecked Sendable {
    /// Nil when libcurl cannot start a transfer.
    let handle: UnsafeMutableRawPointer?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private let cancelled = Atomic<Bool>(false)
    // Set before the transfer is handed to the multi thread, called and cleared there once it ends.
    private var completion: ((CURLcode, String) -> Void)?

    init() {
        // libcurl's global initialisation comes first.
        _ = CurlMulti.shared
        handle = curl_easy_init()
        errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        lists.forEach { curl_slist_free_all($0) }
        errorBuffer.deallocate()
    }

    final var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// A libcurl string list of `items`, freed with the transfer.
    final func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        if let list { lists.append(list) }
        return list
    }

    /// Performs the transfer: sets the URL, the protocols allowed, the timeouts and the error buffer, lets `configure` set
    /// the rest (what it points libcurl at must live as long as the transfer: the transfer's own properties, ``list(_:)``),
    /// runs it on the multi handle, and hands libcurl's result code and message to `finish` (on the multi thread, the
    /// handle still valid). Cancelling the waiting task ends the transfer with `CURLE_ABORTED_BY_CALLBACK`.
    final func perform<T: Sendable>(
        url: String, protocols: String, timeout: Duration, connectTimeout: Duration, described: String,
        configure: (UnsafeMutableRawPointer) -> Void, finish: @escaping (CURLcode, UnsafeMutableRawPointer, String) -> Result<T, HTTPError>
    ) async -> Result<T, HTTPError> {
        guard let handle else { return .failure(HTTPError(.connection, request: described, "libcurl could not start a transfer")) }
        vitals_curl_set_string(handle, CURLOPT_URL, url)
        vitals_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        vitals_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, protocols)
        vitals_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
        vitals_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.milliseconds))
        vitals_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        configure(handle)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                completion = { code, message in continuation.resume(returning: finish(code, handle, message)) }
                CurlMulti.shared.add(self)
            }
        } onCancel: {
            cancelled.store(true, ordering: .relaxed)
            CurlMulti.shared.wake()
        }
    }

    /// Called by the multi thread once the transfer ended (or was cancelled before it started).
    final func complete(_ code: CURLcode) {
        let message = String(cString: errorBuffer)
        let finished = completion
        completion = nil
        finished?(code, message.isEmpty ? String(cString: curl_easy_strerror(code)) : message)
    }
}

/// The process's one libcurl multi handle and the thread that drives it: every transfer runs there, so no transfer
/// starts a thread of its own, and connections are kept and reused between requests to the same server (no new TCP or
/// TLS handshake per page).
///
/// The thread starts with the first transfer and then waits in `curl_multi_poll` while there is nothing to do; adding a
/// transfer or cancelling one wakes it (`curl_multi_wakeup`).
final class CurlMulti: @unchecked Sendable {
    static let shared = CurlMulti()

    private let multi: UnsafeMutableRawPointer
    private struct Queue {
        var added: [CurlTransfer] = []
        var started = false
    }
    private let queue = Mutex(Queue())

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let multi = curl_multi_init() else { preconditionFailure("libcurl could not make a multi handle") }
        self.multi = multi
    }

    /// Hands `transfer` to the thread, starting it the first time.
    func add(_ transfer: CurlTransfer) {
        let start = queue.withLock { queue in
            queue.added.append(transfer)
            defer { queue.started = true }
            return !queue.started
        }
        if start {
            let thread = Thread { [self] in loop() }
            thread.name = "vitals-curl"
            thread.start()
        } else {
            wake()
        }
    }

    /// Wakes the thread to look at its transfers (a new one, a cancelled one).
    func wake() { curl_multi_wakeup(multi) }

    private func loop() {
        var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
        while true {
            for transfer in queue.withLock({ queue in defer { queue.added.removeAll() }; return queue.added }) {
                guard let handle = transfer.handle, !transfer.isCancelled else {
                    transfer.complete(CURLE_ABORTED_BY_CALLBACK)
                    continue
                }
                if curl_multi_add_handle(multi, handle) == CURLM_OK {
                    active[handle] = transfer
                } else {
                    transfer.complete(CURLE_FAILED_INIT)
                }
            }
            for (handle, transfer) in active where transfer.isCancelled {
                curl_multi_remove_handle(multi, handle)
                active[handle] = nil
                transfer.complete(CURLE_ABORTED_BY_CALLBACK)
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                active.removeValue(forKey: handle)?.complete(code)
            }
            // libcurl shortens the wait to its own next timeout (a transfer's, a connection's).
            curl_multi_poll(multi, nil, 0, active.isEmpty ? 60_000 : 1_000, nil)
        }
    }
}
