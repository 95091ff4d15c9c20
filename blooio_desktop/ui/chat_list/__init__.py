"""The chat list: model, delegate, search hits and the sidebar panel that holds them."""
