import VitalsCore

/// How an attempt ended when it did not deliver: thrown by the steps of a delivery (reading a secret, sending a request,
/// reading the answer) so that a notifier's `deliver` is a straight line with one `catch` that returns ``outcome``.
struct Undelivered: Error {
    let outcome: DeliveryOutcome

    static func reject(_ failure: DeliveryFailure) -> Undelivered { Undelivered(outcome: .reject(failure)) }

    static func retry(_ failure: DeliveryFailure, after wait: TimeSpan? = nil) -> Undelivered {
        Undelivered(outcome: .retry(failure, retryAfter: wait))
    }
}
