"""The webhook workbench dock: live deliveries, detail, replay, forwarding, fixtures, export."""
