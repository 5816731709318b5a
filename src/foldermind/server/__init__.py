"""The HTTP server: an OpenAI-compatible chat endpoint with retrieval over the index, and a chat page."""
