// The HTML page of `snapshot_inspect report`: one file with its styles, its script and its data
// inline, and no reference to anything outside it (no network, no other file). The script draws
// the charts as SVG from the embedded data. When it is done it sets
// <body data-status="ok">; a script error sets data-status="error" and is listed in the page
// (#report-errors), so a headless browser run can tell a page that rendered from one that did
// not.
#ifndef V8SNAP_SNAPSHOT_INSPECT_REPORT_PAGE_H_
#define V8SNAP_SNAPSHOT_INSPECT_REPORT_PAGE_H_

#include <string>

namespace v8snap::inspect {

// `title` is plain text (escaped here); `data_json` is an HtmlReportData as JSON, with every "</"
// already written "<\/".
std::string ReportPage(const std::string& title, const std::string& data_json);

}  // namespace v8snap::inspect

#endif  // V8SNAP_SNAPSHOT_INSPECT_REPORT_PAGE_H_
