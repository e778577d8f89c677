"""Oscar's report CSV formatter, writing through our safe writer. The order, basket, offer and
voucher reports all subclass it by `get_class`, so they all pick this one up."""

from oscar.apps.dashboard.reports.reports import ReportCSVFormatter as OscarReportCSVFormatter

from marketplace.exports import OscarSafeCSVWriter


class ReportCSVFormatter(OscarReportCSVFormatter):
    def get_csv_writer(self, file_handle, **kwargs):
        return OscarSafeCSVWriter(open_file=file_handle, **kwargs)
