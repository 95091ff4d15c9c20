"""The conversation: message model with history on demand, bubble delegate, view and panel."""
