/// A rule of DOMAIN.md that forbids an action now. The API answers it with 409 and a
/// problem+json naming the rule and what would make the action possible.
public struct RuleViolation: Error, Equatable, Sendable {
    /// The rule's number in DOMAIN.md (1–11), for the reader of the error.
    public let rule: Int
    /// A stable, machine-readable code: "rejection_requires_alternative", ...
    public let code: String
    /// What is wrong, in a sentence.
    public let message: String
    /// What would make the action possible.
    public let remedy: String

    public init(rule: Int, code: String, message: String, remedy: String) {
        self.rule = rule; self.code = code; self.message = message; self.remedy = remedy
    }
}

/// An invalid field: the API answers 422 listing every one.
public struct FieldError: Equatable, Sendable {
    public let field: String
    public let message: String
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
}

/// Every invalid field of one request, collected before any is reported.
public struct ValidationFailure: Error, Equatable, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}
