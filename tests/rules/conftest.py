"""Engine tests are pure: nothing here touches Django."""
