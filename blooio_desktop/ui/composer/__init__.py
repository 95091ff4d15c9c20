"""The composer: multi-line edit, attachment chips (drag and drop, paste), reply preview, send."""
