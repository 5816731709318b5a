"""The trainer: every night, a LoRA of the base model on the user's notes, merged, exported to GGUF,
quantized, evaluated against the base, and promoted only when it measurably got better."""
