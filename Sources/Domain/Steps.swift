/// Rule 4: the steps of a pathway and how their status may move.
public enum Steps {
    /// planned → ongoing → completed | abandoned; planned → abandoned. Completed and abandoned are final
    /// (a correction is a new step, so the history stays true).
    public static func checkTransition(from: StepStatus, to: StepStatus) throws {
        if from == to { return }
        let allowed: Bool
        switch (from, to) {
        case (.planned, .ongoing), (.planned, .abandoned), (.ongoing, .completed), (.ongoing, .abandoned): allowed = true
        default: allowed = false
        }
        guard allowed else {
            throw RuleViolation(rule: 4, code: "step_transition_not_allowed",
                message: "A step cannot go from \(from.rawValue) to \(to.rawValue).",
                remedy: "Steps go planned → ongoing → completed or abandoned; record a new step to correct a closed one.")
        }
    }

    /// The fields a step needs in its status: actual start once ongoing, actual end and (when
    /// completed) an evaluation once closed; dates in order.
    public static func validate(status: StepStatus, plannedStart: Day?, plannedEnd: Day?, actualStart: Day?, actualEnd: Day?,
                                objectivesMet: ObjectivesMet?, today: Day) -> [FieldError] {
        var errors: [FieldError] = []
        if let s = plannedStart, let e = plannedEnd, e < s { errors.append(FieldError("planned_end", "is before planned_start")) }
        if let s = actualStart, let e = actualEnd, e < s { errors.append(FieldError("actual_end", "is before actual_start")) }
        if let s = actualStart, s > today { errors.append(FieldError("actual_start", "cannot be in the future")) }
        if let e = actualEnd, e > today { errors.append(FieldError("actual_end", "cannot be in the future")) }
        switch status {
        case .planned:
            if plannedStart == nil { errors.append(FieldError("planned_start", "a planned step needs its planned start")) }
            if actualStart != nil { errors.append(FieldError("actual_start", "a planned step has not started: set status ongoing")) }
        case .ongoing:
            if actualStart == nil { errors.append(FieldError("actual_start", "an ongoing step needs its actual start")) }
            if actualEnd != nil { errors.append(FieldError("actual_end", "an ongoing step has no end: set status completed or abandoned")) }
        case .completed:
            if actualStart == nil { errors.append(FieldError("actual_start", "a completed step needs its actual start")) }
            if actualEnd == nil { errors.append(FieldError("actual_end", "a completed step needs its actual end")) }
            if objectivesMet == nil { errors.append(FieldError("evaluation.objectives_met", "a completed step needs its evaluation (yes, partly or no)")) }
        case .abandoned:
            if actualStart != nil, actualEnd == nil { errors.append(FieldError("actual_end", "an abandoned step that had started needs its actual end")) }
        }
        return errors
    }
}
