"""Work orders (工单) from hotline tables: streamed reader and loader, and the sample generator."""

from ingest.workorders.loader import load_work_order_rows, load_work_orders
from ingest.workorders.records import WorkOrderRow, format_events, parse_events

__all__ = ["WorkOrderRow", "format_events", "load_work_order_rows", "load_work_orders", "parse_events"]
