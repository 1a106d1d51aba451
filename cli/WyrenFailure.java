package cli;

/**
 * A failure the user can act on: what went wrong, and what to do next. The CLI prints both on
 * stderr and exits 1.
 */
public final class WyrenFailure extends RuntimeException {

    private final String nextStep;

    public WyrenFailure(String message, String nextStep) {
        super(message);
        this.nextStep = nextStep;
    }

    public String nextStep() {
        return nextStep;
    }
}
