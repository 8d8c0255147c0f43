import ArgumentParser

/// `vitals outbox`: what waits for delivery, and delivering it.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List, retry and deliver the notifications and reports waiting in the outbox.",
        discussion: """
            Alert notifications (`vitals alerts evaluate`) and reports (`vitals report NAME --send`) are queued in the \
            store's outbox, one delivery per channel. Delivery tries each due one, in the order queued per channel; a \
            failure that may pass (a network error, 5xx, 429) is tried again with exponential backoff (30 s doubling, up \
            to 1 h, with jitter; a Retry-After is honoured), up to 10 attempts or 24 hours; one that will not (Slack's \
            invalid_blocks, channel_not_found, ...) is dead-lettered at once with the receiver's words.

            A message is delivered at least once; it can arrive twice only if vitals is killed between the channel's \
            answer and the store recording it (see docs/delivery.md).

            Examples:
              vitals outbox flush                  deliver what is due now
              vitals outbox flush --wait 60s       and wait up to a minute for retries; exit 1 if anything is left
              vitals outbox list --status dead     what was given up on, and why
              vitals outbox retry 42               queue delivery 42 again (then flush)
            """,
        subcommands: [OutboxListCommand.self, OutboxRetryCommand.self, OutboxFlushCommand.self]
    )
}
