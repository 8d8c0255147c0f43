internal import CCurl
import Foundation
import Synchronization

/// What every libcurl transfer here shares, HTTP or SMTP: one easy handle per transfer, performed on a thread of its own
/// so that a blocking transfer never occupies Swift's cooperative pool; timeouts; an error buffer; and cancellation
/// through the progress callback, which aborts the transfer when the waiting task is cancelled.
class CurlTransfer: @unchecked Sendable {
    private let cancelled = Atomic<Bool>(false)

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    final func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// Runs `body` (which performs `transfer`) on a thread of its own; cancelling the waiting task aborts the transfer.
    static func run<T: Sendable>(_ transfer: CurlTransfer, _ body: @escaping @Sendable () -> Result<T, HTTPError>) async -> Result<T, HTTPError> {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread { continuation.resume(returning: body()) }
            }
        } onCancel: {
            transfer.cancel()
        }
    }

    /// Performs one transfer on a new easy handle: sets the URL, the protocols allowed, the timeouts, the error buffer and
    /// cancellation, lets `configure` set the rest (whatever it points libcurl at must outlive this call), and hands
    /// libcurl's result code and message to `finish`. Nil when libcurl cannot start a transfer.
    final func perform<R>(
        url: String, protocols: String, timeout: Duration, connectTimeout: Duration, configure: (UnsafeMutableRawPointer) -> Void,
        finish: (CURLcode, UnsafeMutableRawPointer, String) -> R
    ) -> R? {
        _ = Self.globalInit
        guard let handle = curl_easy_init() else { return nil }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        let context = Unmanaged.passUnretained(self).toOpaque()
        return url.withCString { url in
            vitals_curl_set_string(handle, CURLOPT_URL, url)
            vitals_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            vitals_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, protocols)
            vitals_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout.milliseconds))
            vitals_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout.milliseconds))
            vitals_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
            vitals_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
            vitals_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
            vitals_curl_set_progress_callback(handle) { context, _, _, _, _ in
                Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
            }
            configure(handle)
            let code = curl_easy_perform(handle)
            let message = String(cString: errorBuffer)
            return finish(code, handle, message.isEmpty ? String(cString: curl_easy_strerror(code)) : message)
        }
    }
}
