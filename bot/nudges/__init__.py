"""Weekly nudges: schedules, prompt rotation, due-time maths and exactly-once delivery claims."""
