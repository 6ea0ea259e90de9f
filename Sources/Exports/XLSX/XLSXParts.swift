/// The fixed parts of the workbook package around the one worksheet.
///
/// Kept minimal: what Excel and LibreOffice need to open the file without a "repair"
/// prompt. Style indices used by the sheet are named here so the two cannot drift apart.
enum XLSXParts {
    static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// `s` attribute of the header cells: bold on a light fill.
    static let headerStyle = 1
    /// `s` attribute of date cells: numFmt 164, "dd/mm/yyyy".
    static let dateStyle = 2
    static let dateFormatID = 164
    static let dateFormatCode = "dd/mm/yyyy"

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        </Types>
        """

    static let packageRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/>\
        </Relationships>
        """

    static func workbook(sheetName: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="\(mainNamespace)" xmlns:r="\(relationshipsNamespace)">\
        <bookViews><workbookView activeTab="0"/></bookViews>\
        <sheets><sheet name="\(XMLText.escaped(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    static let workbookRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" \
        Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" \
        Target="styles.xml"/>\
        </Relationships>
        """

    /// Fonts: 0 regular, 1 bold. Fills 0 and 1 are the two Excel reserves (none, gray125);
    /// 2 is the header's. cellXfs follow the order of `headerStyle` and `dateStyle`.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="\(mainNamespace)">\
        <numFmts count="1"><numFmt numFmtId="\(dateFormatID)" formatCode="\(dateFormatCode)"/></numFmts>\
        <fonts count="2">\
        <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        </fonts>\
        <fills count="3">\
        <fill><patternFill patternType="none"/></fill>\
        <fill><patternFill patternType="gray125"/></fill>\
        <fill><patternFill patternType="solid"><fgColor rgb="FFD9E1F2"/><bgColor indexed="64"/></patternFill></fill>\
        </fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="3">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
        <xf numFmtId="\(dateFormatID)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    /// Excel forbids `[ ] : * ? / \` in sheet names and more than 31 characters.
    static func sheetName(_ proposed: String) -> String {
        let forbidden: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]
        var name = String(proposed.filter { !forbidden.contains($0) }.prefix(31))
        name = name.trimmingApostrophes()
        return name.isEmpty ? "Export" : name
    }
}

private extension String {
    /// A sheet name may not start or end with an apostrophe.
    func trimmingApostrophes() -> String {
        var result = Substring(self)
        while result.first == "'" { result.removeFirst() }
        while result.last == "'" { result.removeLast() }
        return String(result)
    }
}
