package io.ipdm.lakes.car;

import io.ipdm.lakes.LakesException;

/** A malformed, truncated or corrupt CAR file; the message says what and where. */
public class CarException extends LakesException {
    public CarException(String message) {
        super(message);
    }
}
