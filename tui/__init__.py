"""The reviewer terminal UI (Textual). Domain logic lives in ``reviewer``; this is display only."""
