"""Modal dialogs: account, settings, new chat, new group, rename."""
