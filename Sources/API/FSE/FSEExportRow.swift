import Domain
import Exports
import GRDB

/// The columns of the FSE export (docs/FSE-EXPORT.md describes each) and the mapping of one
/// row of `FSEExportQuery` to its cells. Unknown values are empty cells, never guessed.
enum FSEExportRow {
    static let columnNames = [
        "participant_id", "operation_id", "operation_name", "entry_date", "gender", "age_at_entry", "age_band",
        "employment_situation", "unemployed", "long_term_unemployed", "inactive", "employed", "education_level",
        "disability", "third_country_national", "foreign_background", "minority", "housing_exclusion", "rural_area",
        "exit_date", "exit_type", "exit_category",
        "job_searching", "in_education_or_training", "gained_qualification", "in_employment",
        "six_month_in_employment", "six_month_improved",
    ]

    static var columns: [Exports.Column] { columnNames.map { Exports.Column($0) } }

    static let flagColumns = ["disability", "third_country_national", "foreign_background", "minority", "housing_exclusion", "rural_area"]

    static func cells(_ row: Row) -> [Cell] {
        let entry = (row["entry_date"] as String?).flatMap(Day.init)
        let birth = (row["birth_date"] as String?).flatMap(Day.init)
        let age = entry.flatMap { e in birth.map { FSE.age(birthDate: $0, on: e) } }
        let situation = (row["employment_situation"] as String?).flatMap(EmploymentSituation.init(rawValue:))
        let flags = situation.map(FSE.employmentFlags)
        let exitSituation = (row["exit_situation"] as String?).flatMap(ExitSituation.init(rawValue:))
        let results = exitSituation.map(FSE.exitResults)

        var cells: [Cell] = [
            .text(String(row["id"] as Int64)),
            .text(orEmpty: (row["operation_id"] as Int64?).map { String($0) }),
            .text(orEmpty: row["operation_name"]),
            .date(iso: row["entry_date"]),
            .text(orEmpty: row["gender"]),
            age.map { Cell.integer($0) } ?? .empty,
            .text(orEmpty: age.map { FSE.AgeBand(age: $0).rawValue }),
            .text(orEmpty: situation?.rawValue),
            boolean(flags?.unemployed), boolean(flags?.longTermUnemployed), boolean(flags?.inactive), boolean(flags?.employed),
            .text(orEmpty: row["education_level"]),
        ]
        cells += flagColumns.map { flag(row, $0) }
        cells += [
            .date(iso: row["exit_date"]),
            .text(orEmpty: row["exit_type"]),
            .text(orEmpty: row["exit_category"]),
            boolean(results?.jobSearching), boolean(results?.inEducationOrTraining),
            flag(row, "gained_qualification"), boolean(results?.inEmployment),
            flag(row, "six_month_in_employment"), flag(row, "six_month_improved"),
        ]
        return cells
    }

    static func boolean(_ value: Bool?) -> Cell { value.map(Cell.boolean) ?? .empty }

    /// A 0/1 column, empty when NULL (not recorded).
    static func flag(_ row: Row, _ column: String) -> Cell { boolean((row[column] as Int64?).map { $0 != 0 }) }
}
