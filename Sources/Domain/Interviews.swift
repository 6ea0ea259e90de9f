/// Rule 5: what an interview must hold.
public enum Interviews {
    /// A written summary is mandatory and never empty: it is the evidence of the work on the barriers.
    public static func validate(date: Day?, durationMinutes: Int?, summary: String?, today: Day) -> [FieldError] {
        var errors: [FieldError] = []
        if let date, date > today { errors.append(FieldError("date", "an interview cannot be recorded in the future (today is \(today))")) }
        if let d = durationMinutes, !(1...1440).contains(d) { errors.append(FieldError("duration_minutes", "must be between 1 and 1440")) }
        if let s = summary, s.allSatisfy({ $0.isWhitespace }) {
            errors.append(FieldError("summary", "the written summary is mandatory and cannot be empty (rule 5)"))
        }
        return errors
    }

    /// The minimum of interviews a month for a participant of this operation.
    public static func minimumPerMonth(operationMinimum: Int?, settings: Settings) -> Int {
        operationMinimum ?? settings.minInterviewsPerMonth
    }
}
