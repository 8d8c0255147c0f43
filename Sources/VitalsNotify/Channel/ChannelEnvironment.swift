/// Reads a channel's secrets from the environment when it delivers, never when it is configured: the configuration holds
/// only the variables' names (`token_env: SLACK_TOKEN`).
enum ChannelEnvironment {
    /// The value of `variable`, which the channel's `key` names. A variable that is not set is a reject: no retry sets it,
    /// and `vitals outbox retry` sends the message again once it is.
    static func secret(_ variable: String, key: String, in environment: [String: String]) throws(Undelivered) -> String {
        guard let value = environment[variable], !value.isEmpty else {
            throw .reject(DeliveryFailure(status: nil, "the environment variable \(variable) (\(key)) is not set"))
        }
        return value
    }
}
