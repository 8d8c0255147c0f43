extension Double {
    /// This number with a negative zero made positive, as the SQLite store keeps numbers: SQLite stores a whole-numbered
    /// REAL as an integer, which has no sign, so -0 reads back from it as 0. Written this way here, the same sample or alert
    /// value reads back the same from either store (and a report prints `0`, not `-0`, for a value such as `-x` of 0).
    var withPositiveZero: Double { self == 0 ? 0 : self }
}
